using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SpotifySync.Grains.Options;
using SpotifySync.Grains.Security;

namespace SpotifySync.UnitTests;

public sealed class TokenProtectorTests
{
    private static TokenProtector NewProtector() =>
        new(Microsoft.Extensions.Options.Options.Create(new SecurityOptions { TokenEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }));

    [Fact]
    public void A_protected_token_round_trips_and_does_not_contain_the_plaintext()
    {
        var protector = NewProtector();
        var stored = protector.Protect("AQD-refresh-token", "user-1");

        Assert.DoesNotContain("AQD-refresh-token", stored);
        Assert.Equal("AQD-refresh-token", protector.Unprotect(stored, "user-1"));
    }

    [Fact]
    public void The_same_token_encrypts_differently_each_time()
    {
        var protector = NewProtector();

        Assert.NotEqual(protector.Protect("t", "u"), protector.Protect("t", "u"));
    }

    [Fact]
    public void A_token_copied_to_another_user_does_not_decrypt()
    {
        var protector = NewProtector();
        var stored = protector.Protect("token", "user-1");

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(stored, "user-2"));
    }

    [Fact]
    public void A_tampered_token_does_not_decrypt()
    {
        var protector = NewProtector();
        var bytes = Convert.FromBase64String(protector.Protect("token", "user-1"));
        bytes[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(Convert.ToBase64String(bytes), "user-1"));
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static TokenProtector WithKeys(string? single, params (string Id, string Key)[] keys) =>
        new(Microsoft.Extensions.Options.Options.Create(new SecurityOptions
        {
            TokenEncryptionKey = single ?? "",
            TokenEncryptionKeys = keys.Select(k => new TokenEncryptionKeyOptions { Id = k.Id, Key = k.Key }).ToList(),
        }));

    [Fact]
    public void The_single_key_is_the_default_key_and_writes_the_format_of_before_key_ids()
    {
        var protector = NewProtector();
        var stored = protector.Protect("token", "u");

        Assert.Equal("default", protector.CurrentKeyId);
        Assert.Equal("default", TokenProtector.KeyIdOf(stored));
        Assert.DoesNotContain(':', stored);
    }

    [Fact]
    public void After_a_rotation_writes_use_the_current_key_and_reads_accept_every_configured_key()
    {
        var (oldKey, newKey) = (NewKey(), NewKey());
        var before = WithKeys(oldKey);
        var storedBefore = before.Protect("refresh", "u");
        var rotated = WithKeys(oldKey, ("k2", newKey));

        var storedAfter = rotated.Protect("refresh", "u");

        Assert.Equal("k2", rotated.CurrentKeyId);
        Assert.StartsWith("k2:", storedAfter);
        Assert.Equal("refresh", rotated.Unprotect(storedBefore, "u"));
        Assert.Equal("refresh", rotated.Unprotect(storedAfter, "u"));
        Assert.ThrowsAny<CryptographicException>(() => before.Unprotect(storedAfter, "u"));
    }

    [Fact]
    public void To_current_key_moves_an_old_token_and_leaves_a_current_one_as_it_is()
    {
        var (oldKey, newKey) = (NewKey(), NewKey());
        var stored = WithKeys(null, ("k1", oldKey)).Protect("refresh", "u");
        var rotated = WithKeys(null, ("k2", newKey), ("k1", oldKey));

        var moved = rotated.ToCurrentKey(stored, "u")!;

        Assert.Equal("k2", TokenProtector.KeyIdOf(moved));
        Assert.Equal(moved, rotated.ToCurrentKey(moved, "u"));
        Assert.Equal("refresh", WithKeys(null, ("k2", newKey)).Unprotect(moved, "u"));
        Assert.Null(rotated.ToCurrentKey(null, "u"));
    }

    [Fact]
    public void A_token_of_a_key_no_longer_configured_does_not_decrypt_and_the_error_names_the_key_only()
    {
        var stored = WithKeys(null, ("k1", NewKey())).Protect("refresh", "u");

        var error = Assert.ThrowsAny<CryptographicException>(() => WithKeys(null, ("k2", NewKey())).Unprotect(stored, "u"));
        Assert.Contains("'k1'", error.Message);
    }

    [Theory]
    [InlineData("", true, "Id")]
    [InlineData("has:colon", true, "Id")]
    [InlineData("k1", false, "Key")]
    public void Each_listed_key_needs_an_id_and_a_32_byte_key(string id, bool validKey, string complaint)
    {
        var result = new SecurityOptionsValidator().Validate(null, new SecurityOptions
        {
            TokenEncryptionKeys = [new TokenEncryptionKeyOptions { Id = id, Key = validKey ? NewKey() : "c2hvcnQ=" }],
        });

        Assert.True(result.Failed);
        Assert.Contains($"TokenEncryptionKeys:0:{complaint}", result.FailureMessage);
    }

    [Fact]
    public void Listed_keys_alone_are_enough_and_ids_are_unique()
    {
        var validator = new SecurityOptionsValidator();
        var key = new TokenEncryptionKeyOptions { Id = "k1", Key = NewKey() };

        Assert.True(validator.Validate(null, new SecurityOptions { TokenEncryptionKeys = [key] }).Succeeded);
        Assert.True(validator.Validate(null, new SecurityOptions { TokenEncryptionKeys = [key, key] }).Failed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void The_key_must_be_base64_of_32_bytes(string key)
    {
        var result = new SecurityOptionsValidator().Validate(null, new SecurityOptions { TokenEncryptionKey = key });

        Assert.True(result.Failed);
        Assert.Contains("TokenEncryptionKey", result.FailureMessage);
    }
}
