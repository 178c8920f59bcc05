using System.Globalization;
using System.Text;
using Payments.Providers.Stripe;
using Payments.Providers.Wallets;
using Payments.Server.Features.Payments;
using Payments.Server.Features.Receipts;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Pages;

/// <summary>
/// The storefront's Google Pay and Apple Pay buttons. The server renders a slot per plan and a hidden
/// form; <c>/static/wallets.js</c> loads Google's pay.js and Stripe.js, asks each wallet whether it can
/// pay here, draws its button into the slots and, with the token the wallet hands back, posts the
/// form (plan, provider, <c>wallet_token</c>) to the same <c>/payments/checkout</c> as "Pay now". Those
/// scripts live on Google's and Stripe's servers: when they cannot load, the slots stay empty and the
/// page works as without wallets. Everything rendered here is public (the publishable key, Google's
/// merchant id, prices).
/// </summary>
public sealed class WalletButtons(GooglePayOptions googlePay, ApplePayOptions applePay, StripeOptions stripe, ReceiptOptions receipts)
{
    /// <summary>
    /// The storefront's policy with wallets: our own policy plus the scripts, frames and calls of Google Pay
    /// (pay.google.com; button images on www.gstatic.com) and Stripe.js (js.stripe.com, hooks.stripe.com,
    /// api.stripe.com), as their documentation lists them. Inline styles are allowed here only: Google's
    /// button brings its own style element. Scripts stay limited to those three origins.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' https://pay.google.com https://js.stripe.com; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: https://www.gstatic.com; connect-src 'self' https://pay.google.com https://api.stripe.com; " +
        "frame-src https://pay.google.com https://js.stripe.com https://hooks.stripe.com; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public bool Any => googlePay.Enabled || applePay.Enabled;

    /// <summary>The page's <c>&lt;head&gt;</c> addition: our wallet script, deferred.</summary>
    public string Head => Any ? "<script src=\"/static/wallets.js\" defer></script>" : "";

    /// <summary>The wallets' settings for the script, and the form it posts.</summary>
    public string Form(HttpContext http)
    {
        if (!Any) return "";
        var config = new StringBuilder("<div id=\"wallets\" hidden")
            .Append($" data-stripe-key=\"{Html.E(stripe.PublishableKey)}\"")
            .Append($" data-merchant-name=\"{Html.E(receipts.Merchant.Name)}\"");
        if (googlePay.Enabled)
        {
            config.Append($" data-google-pay=\"{Html.E(googlePay.Environment)}\" data-country=\"{Html.E(googlePay.Country)}\"");
            if (googlePay.MerchantId is not null) config.Append($" data-google-merchant-id=\"{Html.E(googlePay.MerchantId)}\"");
        }
        if (applePay.Enabled) config.Append($" data-apple-pay=\"on\" data-country=\"{Html.E(applePay.Country)}\"");
        return config.Append("></div>")
            .Append("<form id=\"wallet-form\" method=\"post\" action=\"/payments/checkout\" hidden>").Append(Html.AntiforgeryField(http))
            .Append("<input type=\"hidden\" name=\"plan\"><input type=\"hidden\" name=\"provider\"><input type=\"hidden\" name=\"wallet_token\"></form>")
            .ToString();
    }

    /// <summary>Where a plan's wallet buttons go, with what the wallet sheet shows (display only: the server prices the charge).</summary>
    public string Slot(Plan plan)
    {
        if (!Any) return "";
        // Stripe.js counts in Stripe's unit, which differs from ISO's for a few currencies (see StripeAmounts).
        var stripeAmount = StripeAmounts.TryToStripe(plan.Price, out var amount, out _) ? amount.ToString(CultureInfo.InvariantCulture) : "";
        return $"<div class=\"wallet-buttons\" data-plan=\"{Html.E(plan.Key)}\" data-label=\"{Html.E(plan.Name)}\" " +
               $"data-amount=\"{Html.E(plan.Price.ToDecimalString())}\" data-currency=\"{Html.E(plan.Price.Currency.Code)}\" " +
               $"data-stripe-amount=\"{stripeAmount}\"></div>";
    }
}
