using Microsoft.Extensions.Configuration;
using Payments.Providers.Common;

namespace Payments.Providers.Tests.Common;

public class ProviderSettingsTests
{
    private static IConfiguration With(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>("X_SECONDS", value)]).Build();

    [Theory]
    [InlineData(null, 60)]
    [InlineData("  ", 60)]
    [InlineData("1", 1)]
    [InlineData(" 86400 ", 86_400)]
    public void Seconds_reads_a_whole_number_within_its_range_or_the_default_when_unset(string? raw, int expected) =>
        Assert.Equal(TimeSpan.FromSeconds(expected), With(raw).Seconds("X_SECONDS", 60, 1, 86_400));

    [Theory]
    [InlineData("0")]
    [InlineData("86401")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("sixty")]
    [InlineData("99999999999")]
    public void Seconds_outside_the_range_or_not_a_whole_number_stop_start_up_naming_the_variable(string raw)
    {
        var e = Assert.Throws<InvalidOperationException>(() => With(raw).Seconds("X_SECONDS", 60, 1, 86_400));
        Assert.Equal($"X_SECONDS='{raw}' must be a whole number of seconds from 1 to 86400.", e.Message);
    }
}
