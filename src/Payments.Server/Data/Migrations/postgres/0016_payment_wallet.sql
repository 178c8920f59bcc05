-- Which wallet paid (issue 15: Google Pay, Apple Pay through Stripe), as the provider's charge says:
-- google_pay, apple_pay. Written once with the provider's answer; settling never touches it, so
-- settling stays a HOT update (no index covers it).
ALTER TABLE payments ADD COLUMN wallet text;
