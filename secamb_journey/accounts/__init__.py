"""Staff accounts from the trust's identity provider (OpenID Connect single sign-on), and leavers."""
