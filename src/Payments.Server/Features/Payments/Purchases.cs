using System.Globalization;
using Payments.Core.Errors;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Credits;

namespace Payments.Server.Features.Payments;

/// <summary>What one create-intent buys, priced on the server: a plan, or credits for a user.</summary>
/// <param name="Plan">The plan key, or null for credits.</param>
/// <param name="Credits">Credits the payment grants when it succeeds, or null for a plan.</param>
public sealed record Purchase(string? Plan, string Description, Core.Money.Money Price, long? Credits = null, string? CreditPackage = null)
{
    /// <summary>Travels with the checkout to the provider, so its dashboard says what was bought (and for whose reference).</summary>
    public Dictionary<string, string> Metadata(string paymentId, string? reference = null)
    {
        var metadata = new Dictionary<string, string> { ["payment_id"] = paymentId };
        if (reference is not null) metadata["reference"] = reference;
        if (Plan is not null) metadata["plan"] = Plan;
        if (Credits is { } credits) metadata["credits"] = credits.ToString(CultureInfo.InvariantCulture);
        if (CreditPackage is not null) metadata["credit_package"] = CreditPackage;
        return metadata;
    }
}

/// <summary>An amount the host application's backend priced itself (its receipt, its order), with what it is for.</summary>
public sealed record HostAmount(long? Amount, string? Currency, string? Description, string? Reference);

/// <summary>
/// Turns what a client names (<c>plan</c>, <c>credit_package</c> or <c>credits</c>, exactly one) into
/// a <see cref="Purchase"/>. Browsers and users never send a price: plans are priced in configuration,
/// credits at one US cent each. Credits need someone to credit: a signed-in user, or the <c>user_id</c> a
/// service key or admin names. Only the host's trusted backend (a service key) may name an amount of its
/// own, and then it names what it is for (<c>reference</c>), so a retry can never charge twice.
/// </summary>
public sealed class PurchaseResolver(PlanCatalog plans, CreditCatalog credits)
{
    public Purchase Resolve(string? plan, string? creditPackage, long? customCredits, Caller caller, string? owner, HostAmount? host = null)
    {
        plan = string.IsNullOrWhiteSpace(plan) ? null : plan;
        creditPackage = string.IsNullOrWhiteSpace(creditPackage) ? null : creditPackage;
        var named = (plan is null ? 0 : 1) + (creditPackage is null ? 0 : 1) + (customCredits is null ? 0 : 1);
        // With a plan or credits the price is ours and an amount sent along is ignored, as it always was.
        if (named == 0 && host is { Amount: not null } or { Currency: not null }) return HostDefined(host!, caller);
        if (named == 0)
            throw PaymentsException.Validation("Name what to buy: 'plan', 'credit_package' or 'credits'.")
                .With("plans", plans.All.Select(p => p.Key).ToArray())
                .With("credit_packages", credits.Packages.Select(p => p.Id).ToArray());
        if (named > 1) throw PaymentsException.Validation("Buy one thing at a time: 'plan', 'credit_package' or 'credits', not several.");

        if (plan is not null)
        {
            var chosen = plans.Get(plan);
            return new Purchase(chosen.Key, chosen.Name, chosen.Price);
        }
        if (owner is null)
            throw caller.Kind == CallerKind.Guest
                ? new PaymentsException(ErrorKind.Unauthorized, "Sign in to buy credits: they are added to your account.")
                : PaymentsException.Validation("Name the user the credits are for: 'user_id'.");
        if (creditPackage is not null)
        {
            var package = credits.Package(creditPackage);
            return new Purchase(null, $"{package.Name}: {Count(package.Credits)} credits", package.Price, package.Credits, package.Id);
        }
        var amount = credits.Custom(customCredits!.Value);
        return new Purchase(null, $"{Count(amount)} credits", Core.Credits.CreditRules.PriceOf(amount), amount);
    }

    private static Purchase HostDefined(HostAmount host, Caller caller)
    {
        if (!caller.IsService)
            throw new PaymentsException(ErrorKind.Forbidden,
                "Only the host application's service key may set an amount; browsers and users buy a plan or credits.");
        var price = Core.Payments.HostFields.Amount(host.Amount, host.Currency);
        if (host.Reference is null)
            throw PaymentsException.Validation("An amount of your own needs a 'reference' (your id for what is paid, e.g. \"receipt-17\"): " +
                                               "one payment per reference, so a retried request never charges twice.");
        var description = host.Description is null ? $"Payment {host.Reference}" : Core.Payments.HostFields.Description(host.Description);
        return new Purchase(null, description, price);
    }

    /// <summary>What a credits payment grants, written with the payment itself (null for a plan).</summary>
    public static CreditPurchase? PurchaseRow(Payment payment, Purchase purchase) =>
        purchase.Credits is { } granted
            ? new CreditPurchase { PaymentId = payment.Id, UserId = payment.OwnerId!, Credits = granted, Package = purchase.CreditPackage }
            : null;

    private static string Count(long credits) => credits.ToString("N0", CultureInfo.InvariantCulture);
}
