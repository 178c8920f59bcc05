namespace Payments.Core.Billing;

/// <summary>A product of our catalog ("pro"); several prices may bill it (monthly, yearly).</summary>
/// <param name="Id">Our id, from configuration: lower-case letters, digits, '_' and '-'.</param>
public sealed record Product(string Id, string Name);

/// <summary>
/// A recurring price of our catalog, from configuration (<c>Catalog__Prices__pro_monthly__…</c>).
/// Prices are net (VAT is added per the customer, see <see cref="TaxRules"/>).
/// </summary>
/// <param name="Key">Our name for the price ("pro_monthly"): what clients subscribe to, and the provider's lookup key.</param>
/// <param name="TrialDays">Days before the first bill; a subscription's term, not a provider price's (changing it makes no new price).</param>
public sealed record RecurringPrice(string Key, string Product, Money.Money Amount, BillingInterval Interval, int IntervalCount, int TrialDays)
{
    /// <summary>
    /// True when a stored version of the price (its product, amount, currency and period) bills exactly this.
    /// Anything else needs a new provider price: a provider price is never edited, only archived.
    /// </summary>
    public bool SameTermsAs(string product, long amountMinor, string currency, BillingInterval interval, int intervalCount) =>
        product == Product && amountMinor == Amount.Minor && currency == Amount.Currency.Code && interval == Interval && intervalCount == IntervalCount;

    /// <summary>"29.00 EUR / month", "75.00 EUR / 3 months".</summary>
    public string Description => $"{Amount} / {Interval.Describe(IntervalCount)}";
}
