using System.Text;
using Payments.Providers.Common;

namespace Payments.Providers.Tests.Common;

public class TimestampedHmacSignatureTests
{
    private const string Secret = "whsec_test";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"note\":\"café ✓\"}");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_767_250_416);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    [Fact]
    public void A_header_it_makes_verifies()
    {
        var header = TimestampedHmacSignature.Header(Secret, Now.ToUnixTimeSeconds(), Body);
        Assert.Matches("^t=1767250416,v1=[0-9a-f]{64}$", header);
        Assert.True(TimestampedHmacSignature.Verify(header, Body, Secret, Now, Tolerance).IsValid);
    }

    [Theory]
    [InlineData(300, true)]   // the boundary itself is accepted
    [InlineData(301, false)]
    [InlineData(-300, true)]  // as far in the future as the tolerance: clocks differ
    [InlineData(-301, false)] // further in the future: refused, or a signed delivery could be held and replayed for as long as its sender likes
    [InlineData(-3600, false)]
    public void Tolerance_is_measured_against_the_injected_clock(int ageSeconds, bool valid)
    {
        var header = TimestampedHmacSignature.Header(Secret, Now.ToUnixTimeSeconds() - ageSeconds, Body);
        var check = TimestampedHmacSignature.Verify(header, Body, Secret, Now, Tolerance);
        Assert.Equal(valid, check.IsValid);
        if (!valid) Assert.Contains("tolerance", check.Failure);
    }

    [Fact]
    public void A_changed_byte_a_wrong_secret_or_a_missing_header_fail()
    {
        var header = TimestampedHmacSignature.Header(Secret, Now.ToUnixTimeSeconds(), Body);
        var tampered = (byte[])Body.Clone();
        tampered[^2] ^= 1;
        Assert.False(TimestampedHmacSignature.Verify(header, tampered, Secret, Now, Tolerance).IsValid);
        Assert.False(TimestampedHmacSignature.Verify(header, Body, Secret + "x", Now, Tolerance).IsValid);
        Assert.False(TimestampedHmacSignature.Verify(null, Body, Secret, Now, Tolerance).IsValid);
        Assert.False(TimestampedHmacSignature.Verify("t=abc,v1=00", Body, Secret, Now, Tolerance).IsValid);
    }
}
