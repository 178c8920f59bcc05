using Payments.Core.Billing;

namespace Payments.Core.Tests.Billing;

public class ViesAnswerTests
{
    [Fact]
    public void Valid_keeps_the_consultation_number()
    {
        var answer = ViesAnswer.Read(true, "VALID", [], "WAPIAAAAZ3X1");
        Assert.Equal(new ViesAnswer(ViesVerdict.Valid, "WAPIAAAAZ3X1", null), answer);
        Assert.Null(ViesAnswer.Read(true, null, [], "").ConsultationNumber); // VIES sends "" when we named no requester
    }

    [Fact]
    public void Not_registered_is_invalid()
    {
        Assert.Equal(ViesVerdict.Invalid, ViesAnswer.Read(false, "INVALID", [], "WAPI1").Verdict);
        Assert.Equal(ViesVerdict.Invalid, ViesAnswer.Read(false, null, [], null).Verdict);
    }

    [Theory]
    [InlineData("MS_UNAVAILABLE")]
    [InlineData("MS_MAX_CONCURRENT_REQ")]
    [InlineData("MS_MAX_CONCURRENT_REQ_TIME")]
    [InlineData("GLOBAL_MAX_CONCURRENT_REQ")]
    [InlineData("GLOBAL_MAX_CONCURRENT_REQ_TIME")]
    [InlineData("TIMEOUT")]
    [InlineData("SERVICE_UNAVAILABLE")]
    [InlineData("INVALID_REQUESTER_INFO")]
    [InlineData("IP_BLOCKED")]
    [InlineData("VAT_BLOCKED")]
    [InlineData("SOMETHING_NEW")]
    public void An_error_is_never_a_verdict_on_the_number_even_beside_valid_false(string code)
    {
        Assert.Equal(ViesAnswer.Unavailable(code), ViesAnswer.Read(false, code, [], null));
        Assert.Equal(ViesAnswer.Unavailable(code), ViesAnswer.Read(null, null, [code], null));
        Assert.Equal(ViesAnswer.Unavailable(code), ViesAnswer.Read(false, "INVALID", [code], null));
    }

    [Fact]
    public void No_verdict_or_a_contradicting_one_is_unavailable()
    {
        Assert.Equal(ViesVerdict.Unavailable, ViesAnswer.Read(null, null, [], null).Verdict);
        Assert.Equal(ViesVerdict.Unavailable, ViesAnswer.Read(true, "INVALID", [], null).Verdict);
        Assert.Equal(ViesVerdict.Unavailable, ViesAnswer.Read(false, "VALID", [], null).Verdict);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 60)]
    [InlineData(2, 120)]
    [InlineData(3, 240)]
    [InlineData(9, 15_360)]
    [InlineData(10, 21_600)]
    [InlineData(1_000, 21_600)]
    public void Asking_again_waits_twice_as_long_each_time_up_to_the_longest_wait(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ViesRetry.After(failures, TimeSpan.FromMinutes(1), TimeSpan.FromHours(6)));
}
