"""Site checks: interaction (互动回应差), identifiers (网站标识), test content (测试信息)."""
