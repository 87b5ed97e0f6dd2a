"""Running the platform: users and roles, certificates, and the audit log of what admins did."""
