"""重点项目 and 招商: the key-project ledger, monthly progress, problem lists, factor requests,
the investment pipeline and the year's targets of a development zone (经开区).

Services take a ``Session`` and an ``Actor``; read models for pages and other packages are in
``zhida.projects.queries``. Rules follow the Shandong practice described in the domain notes
(台账管理, 月调度, 问题清单销号, 在谈→签约→落地→开工→投产).
"""
