"""行政审批: approval matters, cases with statutory clocks, 容缺受理 and 告知承诺, the green
channel with 帮办代办, parallel inspection and review, on-time alerts and the office dashboard.

Rules come from 行政许可法 §32, §42–45, §82, 民法典 §201, GB/T 39046—2020 (case record fields),
国办发〔2020〕42号 (告知承诺制) and 国家林业局令第35号 (林地); see docs/architecture.md, "Approvals".
"""
