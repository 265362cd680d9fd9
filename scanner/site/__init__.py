"""Site and account scanning: registry, site model, per-site and per-account scans."""
