namespace Payments.Core.Tests;

public class IdsTests
{
    [Fact]
    public void Ids_have_the_prefix_and_26_base32_characters()
    {
        var id = Ids.New("pay", DateTimeOffset.UtcNow);
        Assert.Matches("^pay_[0-9a-hjkmnp-tv-z]{26}$", id);
    }

    [Fact]
    public void Later_ids_sort_after_earlier_ones_and_none_repeat()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 1000).Select(i => Ids.New("pay", start.AddMilliseconds(i))).ToList();
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.Equal(10_000, Enumerable.Range(0, 10_000).Select(_ => Ids.New("pay", start)).Distinct().Count());
    }
}
