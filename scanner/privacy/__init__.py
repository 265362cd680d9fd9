"""The privacy library: the disclosure policy, masking, and the auditor's file audit.

``govscan privacy audit`` and ``govscan privacy mask`` are thin commands over
``audit.audit_paths`` and ``mask.mask_file``; the detectors are the PII checks' own
(``scanner.checks.pii.analyzer``), so review, audit and site scans agree.
"""
