-- Safe retry of a connector certificate renewal whose answer was lost (issue 11): what the last renewal issued, so that
-- a connector asking again with its previous certificate (during the grace) and the same new key gets the same
-- certificate back, and any other key is refused. renewed_cert_pem is the issued certificate (PEM), renewed_key_sha256
-- the SHA-256 (hex) of the public key it certified (SubjectPublicKeyInfo DER). Both NULL before the first renewal.
ALTER TABLE connector ADD COLUMN renewed_cert_pem VARCHAR(8000);
ALTER TABLE connector ADD COLUMN renewed_key_sha256 VARCHAR(64);
