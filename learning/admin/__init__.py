"""Running the platform: certificates now; users, roles and the audit log join here."""
