using Payments.Core.Billing;

namespace Payments.Core.Tests.Billing;

public class CatalogTests
{
    private static readonly RawPrice[] Defaults =
    [
        new("pro_monthly", "pro", "29.00 EUR", "month", null, null, null),
        new("pro_yearly", "pro", "290.00 EUR", "year", null, null, null),
        new("team_monthly", "team", "99.00 EUR", "month", null, null, null),
    ];

    private static Catalog Parse(params RawPrice[] prices) => Catalog.Parse([new RawProduct("pro", "Pro")], prices);

    [Fact]
    public void The_default_prices_parse_to_exact_amounts_monthly_and_yearly()
    {
        var catalog = Parse(Defaults);

        Assert.True(catalog.TryGetPrice("pro_monthly", out var monthly));
        Assert.Equal(new RecurringPrice("pro_monthly", "pro", Core.Money.Money.Of(2900, "EUR"), BillingInterval.Month, 1, 0), monthly);
        Assert.True(catalog.TryGetPrice("PRO_YEARLY", out var yearly)); // keys are case-insensitive, as configuration keys are
        Assert.Equal((29000L, BillingInterval.Year), (yearly.Amount.Minor, yearly.Interval));
        Assert.Equal(["pro_monthly", "pro_yearly", "team_monthly"], catalog.Prices.Select(p => p.Key));
        Assert.Equal("29.00 EUR / month", monthly.Description);
    }

    [Fact]
    public void A_product_keeps_its_configured_name_and_one_only_named_by_a_price_is_named_after_its_id()
    {
        var catalog = Parse(Defaults);
        Assert.Equal([new Product("pro", "Pro"), new Product("team", "Team")], catalog.Products);
        Assert.Equal("Team plus", Catalog.Parse([], [new RawPrice("x", "team_plus", "1.00 EUR", "day", null, null, null)]).Product("team_plus").Name);
    }

    [Fact]
    public void Interval_count_and_trial_days_are_read_and_default_to_one_and_zero()
    {
        var price = Parse(new RawPrice("quarterly", "pro", "75.00 EUR", "Month", "3", "14", null)).Prices.Single();
        Assert.Equal((BillingInterval.Month, 3, 14), (price.Interval, price.IntervalCount, price.TrialDays));
        Assert.Equal("75.00 EUR / 3 months", price.Description);
    }

    [Fact]
    public void A_price_set_inactive_is_off_sale()
    {
        var catalog = Parse([.. Defaults[..2], new RawPrice("team_monthly", "team", "99.00 EUR", "month", null, null, "false")]);
        Assert.False(catalog.TryGetPrice("team_monthly", out _));
        Assert.Equal(2, catalog.Prices.Count());
    }

    [Theory]
    [InlineData("Price", "29.001 EUR", "Catalog__Prices__p__Price='29.001 EUR' is not a positive amount")]
    [InlineData("Price", "0.00 EUR", "Catalog__Prices__p__Price='0.00 EUR'")]
    [InlineData("Price", "29.00", "Catalog__Prices__p__Price='29.00'")]
    [InlineData("Interval", "fortnight", "Catalog__Prices__p__Interval='fortnight' must be day, week, month or year")]
    [InlineData("Interval", "", "Catalog__Prices__p__Interval=''")]
    [InlineData("IntervalCount", "0", "Catalog__Prices__p__IntervalCount='0' must be a whole number from 1 to 36")]
    [InlineData("IntervalCount", "37", "Catalog__Prices__p__IntervalCount='37'")]
    [InlineData("IntervalCount", "1.5", "Catalog__Prices__p__IntervalCount='1.5'")]
    [InlineData("TrialDays", "731", "Catalog__Prices__p__TrialDays='731' must be a whole number from 0 to 730")]
    [InlineData("TrialDays", "-1", "Catalog__Prices__p__TrialDays='-1'")]
    [InlineData("Product", "", "Catalog__Prices__p__Product='' is required")]
    [InlineData("Product", "Pro Plan!", "Catalog__Prices__p__Product: 'Pro Plan!' is not a valid product id")]
    [InlineData("Active", "maybe", "Catalog__Prices__p__Active='maybe' is not a boolean")]
    public void A_bad_value_is_refused_naming_the_variable_to_fix(string field, string value, string message)
    {
        var fields = new Dictionary<string, string?> { ["Product"] = "pro", ["Price"] = "29.00 EUR", ["Interval"] = "month", [field] = value };
        var raw = new RawPrice("p", fields["Product"], fields["Price"], fields["Interval"], fields.GetValueOrDefault("IntervalCount"),
            fields.GetValueOrDefault("TrialDays"), fields.GetValueOrDefault("Active"));
        var error = Assert.Throws<InvalidOperationException>(() => Parse(raw));
        Assert.StartsWith(message, error.Message);
    }

    [Theory]
    [InlineData(BillingInterval.Day, 1095)]
    [InlineData(BillingInterval.Week, 156)]
    [InlineData(BillingInterval.Month, 36)]
    [InlineData(BillingInterval.Year, 3)]
    public void At_most_three_years_lie_between_two_bills(BillingInterval interval, int longest)
    {
        var ok = Parse(new RawPrice("p", "pro", "1.00 EUR", interval.ToWire(), longest.ToString(), null, null)).Prices.Single();
        Assert.Equal(longest, ok.IntervalCount);
        Assert.Throws<InvalidOperationException>(() => Parse(new RawPrice("p", "pro", "1.00 EUR", interval.ToWire(), (longest + 1).ToString(), null, null)));
    }

    [Fact]
    public void A_key_that_is_not_a_small_lower_case_word_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parse(new RawPrice("pro monthly", "pro", "1.00 EUR", "month", null, null, null)));
        Assert.Contains("Catalog__Prices__pro monthly: 'pro monthly' is not a valid price key", error.Message);
    }

    [Fact]
    public void Trial_days_are_not_terms_of_a_provider_price_but_amount_currency_and_period_are()
    {
        var price = new RecurringPrice("pro_monthly", "pro", Core.Money.Money.Of(2900, "EUR"), BillingInterval.Month, 1, TrialDays: 14);
        Assert.True(price.SameTermsAs("pro", 2900, "EUR", BillingInterval.Month, 1));
        Assert.False(price.SameTermsAs("pro", 3500, "EUR", BillingInterval.Month, 1));
        Assert.False(price.SameTermsAs("pro", 2900, "USD", BillingInterval.Month, 1));
        Assert.False(price.SameTermsAs("pro", 2900, "EUR", BillingInterval.Year, 1));
        Assert.False(price.SameTermsAs("pro", 2900, "EUR", BillingInterval.Month, 2));
        Assert.False(price.SameTermsAs("team", 2900, "EUR", BillingInterval.Month, 1));
    }
}
