-- Issue 10 (single sign-on to backends): a user's on-premises identity, from directory sync only (NULL for local and
-- federated users): the on-premises user principal name (AD userPrincipalName) and SAM account name (AD
-- sAMAccountName), which Kerberos delegation and header single sign-on may name the user by. Lengths are AD's
-- upper bounds for these attributes.
ALTER TABLE directory_user ADD COLUMN onprem_upn VARCHAR(1024);
ALTER TABLE directory_user ADD COLUMN sam_account_name VARCHAR(256);
