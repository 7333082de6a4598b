"""The youth information and referral bot for Kukës county."""
