"""zhida.rules — rules as code: policies a policy officer can read, evaluated exactly.

One YAML file per policy (``zhida/rules/policies/*.yaml``, or ``zhida/<pkg>/policies/*.yaml``
of the programme that owns it; a directory in ``ZHIDA_POLICY_DIR`` or ``--policy-dir`` is
searched first) holds its legal basis, dated
parameters with references, derived variables, named conditions and exclusions, the amount
formula and its test cases. Expressions use a small safe language (``lang/``) compiled to
Polars column expressions over exact rationals; every entity of the policy's ``target`` (a
unit, a loan application …) gets a status (eligible,
ineligible, undetermined — missing data is never silently ineligible), an amount in fen,
and per-condition reasons with the values used.

Public API (``zhida.rules.service``), a contract for delivery and the web console:

- ``list_policies() -> list[Policy]``; ``get_policy(policy_id) -> Policy`` (``.id``, ``.name``,
  ``.legal_basis``, ``.period_type``, ``.parameters``, ``.variables``, ``.conditions``,
  ``.exclusions``, ``.amount``, ``.cases``)
- ``run_policy(session, policy_id, period, as_of=None, overrides=None) -> PolicyRun`` (stored
  in ``policy_runs`` / ``policy_results``; the transient ``run.evaluation`` holds the frame)
- ``get_run(session, run_id)``; ``latest_run(session, policy_id, period)``
- ``explain(session, policy_id, uscc, period, as_of=None) -> Explanation`` (``.lines``,
  ``.status``, ``.amount_fen``, ``.reasons``)
- ``test_policy(policy_id=None) -> list[CaseResult]``
- ``simulate(session, policy_id, period, overrides, as_of=None) -> SimulationResult``
- ``summarise_run(run, session=None) -> str`` (Chinese summary, e.g. for the demo)

What a policy may judge and read is declared by the package owning the data, in its
``rule_inputs`` module (``zhida.rules.entities``: ``register_entity``, ``register_source``,
``FieldSpec``, ``InputSource``); the registry declares 单位 and its four sources there. The
rules package names no programme and no table of another package.

Tables (``zhida.rules.models``): ``PolicyRun`` and ``PolicyResult``; migration branch
``rules`` (``0101_rules``, ``0102_rules_entity``). A run records its ``entity``; a result's
``key`` (column ``uscc``) is the judged entity's key.
"""
