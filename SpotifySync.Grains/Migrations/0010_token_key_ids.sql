-- Token encryption keys have ids (Security:TokenEncryptionKeys), so keys can be rotated: each row records the id of the
-- key its tokens are encrypted with (every write puts all of a row's tokens under the current key). NULL on a row with
-- tokens: written before key ids, with Security:TokenEncryptionKey (the key id 'default'). The reencrypt command
-- moves every row whose key is not the current one.
ALTER TABLE spotify_users
    ADD COLUMN IF NOT EXISTS token_key_id text;

CREATE INDEX IF NOT EXISTS spotify_users_token_key ON spotify_users (token_key_id, user_id)
    WHERE refresh_token_encrypted IS NOT NULL OR access_token_encrypted IS NOT NULL;
