-- Connector certificate renewal (issue 11): after a renewal the previous certificate stays accepted until
-- previous_cert_valid_until (a short grace while the connector moves its tunnels to the new one); cert_renewed_at
-- limits how often a connector may renew.
ALTER TABLE connector ADD COLUMN previous_cert_serial VARCHAR(64);
ALTER TABLE connector ADD COLUMN previous_cert_valid_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE connector ADD COLUMN cert_renewed_at TIMESTAMP WITH TIME ZONE;
