"""Freshness checks: home page, columns, blank columns, accounts (栏目不更新, 首页不更新, 内容不更新)."""
