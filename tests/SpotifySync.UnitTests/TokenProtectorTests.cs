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
