"""New-media account checks: 内容不更新 is in freshness/; here the publishing rules
(news as chat messages, bare hyperlinks) and 账号信息未及时变更."""
