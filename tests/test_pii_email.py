"""EMAIL."""
import pytest

from pii_helpers import detect, values


@pytest.mark.parametrize("text, expected", [
    ("邮箱：zhangsan1990@qq.com。", ["zhangsan1990@qq.com"]),
    ("email: li.ming+gov@mail.example.org", ["li.ming+gov@mail.example.org"]),
    ("电子邮件wang_fang@163.com，", ["wang_fang@163.com"]),
    # no domain dot, no local part
    ("请发至 admin@localhost 或 @qq.com", []),
])
def test_email(text, expected):
    assert values(text, "EMAIL") == expected


def test_masked_email():
    assert detect("邮箱z***@qq.com", "EMAIL") == [("EMAIL", "z***@qq.com", True)]
