"""The investment-project ledger (项目台账): projects with their stages and contract milestones,
the prefectures' monthly reports, unfulfilled-project reports, yearly targets and the KPIs of the
annual 联引资 assessment (docs/projects.md)."""
