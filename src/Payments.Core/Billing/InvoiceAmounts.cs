namespace Payments.Core.Billing;

/// <summary>
/// What one period of a subscription costs a customer: the net price of the catalog, the VAT the tax rule adds
/// (<see cref="TaxRules"/>), and their sum. The VAT is rounded to the nearest minor unit, halves away from zero,
/// as Stripe rounds an exclusive tax rate on a line; an invoice whose paid amount differs from <see cref="Gross"/>
/// by even one minor unit is a conflict, never rounded away.
/// </summary>
public sealed record InvoiceAmounts(Money.Money Net, int RateBasisPoints, Money.Money Vat)
{
    public Money.Money Gross => Net + Vat;

    public static InvoiceAmounts Of(Money.Money net, int rateBasisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rateBasisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rateBasisPoints, 10_000);
        if (net.IsNegative) throw new ArgumentOutOfRangeException(nameof(net), net, "A net price is not negative.");
        // net * bp / 10000, rounded half up (both are non-negative); checked so an absurd price fails instead of wrapping.
        var vat = (checked(net.Minor * rateBasisPoints) + 5_000) / 10_000;
        return new InvoiceAmounts(net, rateBasisPoints, new Money.Money(vat, net.Currency));
    }
}
