"""The seed catalogue of approval matters (事项).

Limits cited from a primary source carry it in ``basis``; the others are the county's own
choices (``local_parameter`` True) that staff change in the 事项 page or by importing a file.
"""

from __future__ import annotations

DEPARTMENTS = [
    ("ZHKS", "综合受理科"), ("TDKS", "投资建设审批科"), ("SCKS", "市场准入审批科"),
    ("NLKS", "农林水审批科"), ("KCKS", "踏勘评审中心"), ("LYJ", "县自然资源和规划局"),
]

# code, name, legal, promised, instant, joint, site, expert, promise, fee_fen, departments, stages,
# main materials, secondary materials, basis, local
MATTERS = [
    ("LD-SY", "使用林地审核", 20, 15, False, False, True, False, False, 0, "NLKS；KCKS；LYJ",
     "受理；现场查验；审查；公示；决定", "使用林地申请表；用地单位资格证明；建设项目有关批准文件；使用林地可行性报告",
     "被占用林地权属证明；补偿协议；森林植被恢复费缴纳凭证",
     "森林法；国家林业局令第35号 §10（现场查验10个工作日）§11（公示5个工作日）", False),
    ("LD-LS", "临时占用林地", 20, 15, False, False, True, False, False, 0, "NLKS；KCKS",
     "受理；现场勘验；核准", "临时占用林地申请表；用地单位资格证明；临时占用林地可行性报告",
     "恢复植被和林业生产条件的方案；补偿协议",
     "山东省临时占用林地（2公顷以下）承诺15个工作日，现场勘验时间不计", False),
    ("GH-JS", "建设工程规划许可", 20, 10, False, False, False, True, False, 0, "TDKS；LYJ",
     "受理；审查；专家评审；决定", "建设工程规划许可申请表；使用土地的有关证明文件；建设工程设计方案",
     "建设项目批准、核准或备案文件", "行政许可法 §42；承诺时限为本县选择", True),
    ("SG-XK", "建筑工程施工许可", 20, 7, False, False, False, False, True, 0, "TDKS",
     "受理；审查；决定", "施工许可申请表；建设工程规划许可证；施工合同；质量安全监督手续",
     "施工图审查合格书；资金落实承诺", "行政许可法 §42；告知承诺制 国办发〔2020〕42号；承诺时限为本县选择", True),
    ("SP-JY", "食品经营许可", 20, 5, False, False, True, False, True, 0, "SCKS",
     "受理；审查；现场核查；决定", "食品经营许可申请书；营业执照；经营场所平面图；食品安全管理制度",
     "设备布局和操作流程；健康证明", "行政许可法 §42；告知承诺制 国办发〔2020〕42号；承诺时限为本县选择", True),
    ("YY-ZZ", "营业执照变更登记", 20, 0, True, False, False, False, False, 0, "SCKS",
     "受理；决定", "变更登记申请书；营业执照正副本", None, "行政许可法 §42；即办件为本县选择", True),
    ("LH-ZB", "联合审批（工程建设项目竣工联合验收）", 45, 20, False, True, True, False, False, 0,
     "TDKS；LYJ；KCKS", "受理；联合踏勘；部门会审；决定", "联合验收申请表；竣工验收报告；规划核实资料",
     "消防验收资料", "行政许可法 §42 ¶2（联合办理45个工作日，经批准可延长15个工作日）", True),
]
