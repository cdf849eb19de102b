"""Complaint case management for the 投资企业投诉服务中心 (issue #4)."""
