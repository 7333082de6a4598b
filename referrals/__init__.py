"""Lead qualification and the staff referral queue (built by the referral issue)."""
