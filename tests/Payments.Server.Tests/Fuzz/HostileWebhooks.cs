using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Payments.Providers.Common;
using Payments.Server.Tests.Fakes.PayPal;

namespace Payments.Server.Tests.Fuzz;

/// <summary>One hostile delivery to a provider's webhook route.</summary>
public sealed record WebhookCase(string Provider, byte[] Body, IReadOnlyList<(string Name, string Value)> Headers, string Note)
{
    public override string ToString() =>
        $"{Provider} [{Note}] headers: {string.Join("; ", Headers.Select(h => $"{h.Name}: {(h.Value.Length > 120 ? h.Value[..120] + "…" : h.Value)}"))} body: {Hostile.Show(Body)}";
}

/// <summary>
/// Hostile deliveries per provider. Half are signed with the provider's real secret (the fakes' keys), so
/// hostile content reaches the parser and the settlement rules, not just the signature check. A signed
/// delivery about one of our real payments always carries an amount or currency no event may have: a
/// well-formed, signed event would be allowed to change the payment, which is not what this measures.
/// </summary>
public sealed class HostileWebhooks(FuzzTargets targets, string dummySecret, string stripeSecret, FakePayPal paypal)
{
    public const string DummyHeader = "Dummy-Signature", StripeHeader = "Stripe-Signature";

    private static readonly string[] DummyCurrencies = ["\"eur\"", "\"Eur\"", "\"XYZ\"", "\"\"", "\"EURO\"", "978", "\"E\\u0000R\""];
    private static readonly string[] StripeCurrencies = ["\"EUR\"", "\"Eur\"", "\"xyz\"", "\"\"", "\"euro\"", "978", "null", "\"e\\u0000r\""];
    private static readonly string[] PayPalValues =
    [
        "\"19.001\"", "\"-19.00\"", "\"-1\"", "\"1e20\"", "\"19,00\"", "\"\"", "\"NaN\"", "\"Infinity\"", "19.0", "1900", "\"99999999999999999999.99\"",
        "\"0x13\"", "\" 19.00\"", "\"19.00 \"", "\"１９.００\"", "\"19.00\\u0000\"", "null", "{}", "\"+19.00\"", "\"19.\"", "\".19\"",
    ];
    private static readonly string[] PayPalCurrencies = ["\"eur\"", "\"XYZ\"", "\"\"", "null", "978", "\"EURO\""];

    public Gen<WebhookCase> Dummy =>
        from signed in Gen.Frequency((1, Gen.Constant(true)), (1, Gen.Constant(false)))
        from real in Gen.Elements(true, false)
        from dmId in real ? Gen.Elements(targets.Dummy.Select(d => d.ProviderId).ToArray()) : Id("dm_")
        from body in Gen.Frequency(
            (8, DummyEvent(dmId, mustBeMalformed: signed && real)),
            (real && signed ? 0 : 2, Hostile.Body))
        from corrupted in Sometimes(body)
        from headers in signed ? Hmac(DummyHeader, dummySecret, corrupted) : BadHmac(DummyHeader, dummySecret, corrupted)
        select new WebhookCase("dummy", corrupted, headers.Headers, $"{(real ? "real" : "unknown")} payment, {headers.Note}");

    public Gen<WebhookCase> Stripe =>
        from signed in Gen.Frequency((1, Gen.Constant(true)), (1, Gen.Constant(false)))
        from real in Gen.Elements(true, false)
        from target in real ? Gen.Elements(targets.Stripe.ToArray()) : Id("cs_").Select(id => ("pay_unknown_" + id, id, (string?)"pi_unknown"))
        from body in Gen.Frequency(
            (8, StripeEvent(target.Item1, target.Item2, target.Item3, mustBeMalformed: signed && real)),
            (real && signed ? 0 : 2, Hostile.Body))
        from corrupted in Sometimes(body)
        from headers in signed ? Hmac(StripeHeader, stripeSecret, corrupted) : BadHmac(StripeHeader, stripeSecret, corrupted)
        select new WebhookCase("stripe", corrupted, headers.Headers, $"{(real ? "real" : "unknown")} payment, {headers.Note}");

    public Gen<WebhookCase> PayPal =>
        from signed in Gen.Frequency((1, Gen.Constant(true)), (1, Gen.Constant(false)))
        from real in Gen.Elements(true, false)
        from target in real ? Gen.Elements(targets.PayPal.ToArray()) : PayPalId.Select(id => ("pay_unknown" + id, id, (string?)null))
        from body in Gen.Frequency(
            (8, PayPalEvent(target.Item1, target.Item2, target.Item3, mustBeMalformed: signed && real)),
            (real && signed ? 0 : 2, Hostile.Body))
        from corrupted in Sometimes(body)
        from headers in signed ? Gen.Constant(("signed", paypal.Sign(corrupted).Headers.Select(h => (h.Key, h.Value)).ToList()))
            : BadPayPalHeaders(corrupted)
        select new WebhookCase("paypal", corrupted, headers.Item2, $"{(real ? "real" : "unknown")} payment, {headers.Item1}");

    private Gen<byte[]> DummyEvent(string dmId, bool mustBeMalformed) =>
        from id in Either(Id("evt_").Select(Hostile.Quote), Hostile.Value)
        from type in mustBeMalformed ? Gen.Constant("\"payment.succeeded\"")
            : Either(Gen.Elements("\"payment.succeeded\"", "\"payment.failed\"", "\"payment.canceled\"", "\"payment.refunded\"", "\"PAYMENT.SUCCEEDED\""), Hostile.Value)
        from money in Money(Gen.Constant("1900"), Gen.Elements(Hostile.EventAmounts), Gen.Elements("\"EUR\"", "\"USD\"", "\"JPY\""), Gen.Elements(DummyCurrencies), mustBeMalformed)
        from extra in Extra
        select Hostile.Utf8($"{{\"id\":{id},\"type\":{type},\"payment_id\":\"{dmId}\",\"amount\":{money.Amount},\"currency\":{money.Currency}{extra}}}");

    private Gen<byte[]> StripeEvent(string paymentId, string sessionId, string? intentId, bool mustBeMalformed) =>
        from id in Either(Id("evt_").Select(Hostile.Quote), Hostile.Value)
        from kind in Gen.Elements(0, 1, 2, 3)
        from type in mustBeMalformed
            ? Gen.Constant(kind switch { 0 => "checkout.session.completed", 1 => "payment_intent.succeeded", _ => "charge.refunded" })
            : Gen.Elements("checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.expired", "payment_intent.succeeded",
                "payment_intent.payment_failed", "charge.refunded", "customer.subscription.updated", "invoice.paid", "account.updated", "unknown.type")
        from money in Money(Gen.Constant("1900"), Gen.Elements(Hostile.EventAmounts), Gen.Constant("\"eur\""), Gen.Elements(StripeCurrencies), mustBeMalformed)
        from extra in Extra
        let obj = type switch
        {
            var t when t.StartsWith("checkout.session.", StringComparison.Ordinal) =>
                $"{{\"id\":\"{sessionId}\",\"object\":\"checkout.session\",\"payment_status\":\"paid\",\"status\":\"complete\",\"amount_total\":{money.Amount},\"currency\":{money.Currency},\"client_reference_id\":\"{paymentId}\",\"metadata\":{{\"payment_id\":\"{paymentId}\"}},\"payment_intent\":\"{intentId ?? "pi_x"}\"{extra}}}",
            var t when t.StartsWith("payment_intent.", StringComparison.Ordinal) =>
                $"{{\"id\":\"{intentId ?? "pi_x"}\",\"object\":\"payment_intent\",\"status\":\"succeeded\",\"amount\":1900,\"amount_received\":{money.Amount},\"currency\":{money.Currency},\"metadata\":{{\"payment_id\":\"{paymentId}\"}}{extra}}}",
            var t when t.StartsWith("charge.", StringComparison.Ordinal) =>
                $"{{\"id\":\"ch_fuzz\",\"object\":\"charge\",\"amount\":1900,\"amount_captured\":1900,\"amount_refunded\":{money.Amount},\"currency\":{money.Currency},\"payment_intent\":\"{intentId ?? "pi_x"}\",\"refunded\":false{extra}}}",
            _ => $"{{\"id\":\"sub_fuzz\",\"object\":\"subscription\",\"status\":{money.Currency}{extra}}}",
        }
        from data in mustBeMalformed ? Gen.Constant(obj) : Gen.Frequency((9, Gen.Constant(obj)), (1, Hostile.Value))
        select Hostile.Utf8($"{{\"id\":{id},\"object\":\"event\",\"api_version\":\"2026-10-28.endive\",\"created\":1765100000,\"type\":\"{type}\",\"livemode\":false,\"data\":{{\"object\":{data}}}}}");

    private Gen<byte[]> PayPalEvent(string paymentId, string orderId, string? captureId, bool mustBeMalformed) =>
        from id in Either(PayPalId.Select(i => Hostile.Quote("WH-" + i)), Hostile.Value)
        from kind in Gen.Elements(0, 1, 2)
        from type in mustBeMalformed
            ? Gen.Constant(kind == 0 ? "PAYMENT.CAPTURE.COMPLETED" : "PAYMENT.CAPTURE.REFUNDED")
            : Gen.Elements("CHECKOUT.ORDER.APPROVED", "PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.PENDING", "PAYMENT.CAPTURE.DENIED",
                "PAYMENT.CAPTURE.REFUNDED", "PAYMENT.CAPTURE.REVERSED", "CUSTOMER.DISPUTE.CREATED")
        from resourceId in PayPalId
        from money in Money(Gen.Constant("\"19.00\""), Gen.Elements(PayPalValues), Gen.Constant("\"EUR\""), Gen.Elements(PayPalCurrencies), mustBeMalformed)
        from extra in Extra
        let amount = $"{{\"currency_code\":{money.Currency},\"value\":{money.Amount}}}"
        let resource = type switch
        {
            "CHECKOUT.ORDER.APPROVED" =>
                $"{{\"id\":\"{orderId}\",\"status\":\"APPROVED\",\"intent\":\"CAPTURE\",\"purchase_units\":[{{\"custom_id\":\"{paymentId}\",\"amount\":{amount}}}]{extra}}}",
            "PAYMENT.CAPTURE.REFUNDED" =>
                $"{{\"id\":\"{resourceId}\",\"status\":\"COMPLETED\",\"amount\":{amount},\"custom_id\":\"{paymentId}\",\"seller_payable_breakdown\":{{\"total_refunded_amount\":{amount}}},\"links\":[{{\"rel\":\"up\",\"href\":\"https://api.sandbox.paypal.com/v2/payments/captures/{captureId ?? resourceId}\",\"method\":\"GET\"}}]{extra}}}",
            _ =>
                $"{{\"id\":\"{captureId ?? resourceId}\",\"status\":\"COMPLETED\",\"amount\":{amount},\"custom_id\":\"{paymentId}\",\"supplementary_data\":{{\"related_ids\":{{\"order_id\":\"{orderId}\"}}}}{extra}}}",
        }
        from data in mustBeMalformed ? Gen.Constant(resource) : Gen.Frequency((9, Gen.Constant(resource)), (1, Hostile.Value))
        select Hostile.Utf8($"{{\"id\":{id},\"event_version\":\"1.0\",\"resource_type\":\"capture\",\"event_type\":\"{type}\",\"summary\":\"fuzz\",\"resource\":{data}}}");

    /// <summary>An amount and a currency; when the event must be malformed, at least one of them is hostile.</summary>
    private static Gen<(string Amount, string Currency)> Money(Gen<string> goodAmount, Gen<string> badAmount, Gen<string> goodCurrency, Gen<string> badCurrency, bool mustBeMalformed) =>
        from which in Gen.Choose(mustBeMalformed ? 1 : 0, 3)
        from amount in (which & 1) != 0 ? badAmount : Either(goodAmount, badAmount)
        from currency in (which & 2) != 0 ? badCurrency : Either(goodCurrency, badCurrency)
        select (amount, currency);

    /// <summary>More members: none, hostile ones, a duplicate of an amount or currency (the last one wins), or a huge pad.</summary>
    private static Gen<string> Extra => Gen.Frequency(
        (6, Gen.Constant("")),
        (2, Hostile.Object.Select(o => "," + o[1..^1])),
        (1, Gen.Elements(Hostile.EventAmounts).Select(a => $",\"amount\":{a},\"amount_total\":{a},\"currency\":{a}")),
        (1, Gen.Elements(8, 300_000, 1024 * 1024).Select(n => $",\"pad\":\"{new string(' ', n)}\"")),
        (1, Hostile.Nested().Select(n => ",\"nested\":" + n)));

    private static Gen<byte[]> Sometimes(byte[] body) => Gen.Frequency((9, Gen.Constant(body)), (1, Hostile.Corrupt(body)));

    private static Gen<string> Either(Gen<string> good, Gen<string> bad) => Gen.Frequency((3, good), (1, bad));

    private static Gen<string> Id(string prefix) => Gen.Choose(0, int.MaxValue).Select(n => prefix + "fuzz" + n.ToString(CultureInfo.InvariantCulture));

    private static Gen<string> PayPalId => Gen.Choose(0, 999_999_999).Select(n => "FUZZ" + n.ToString("D13", CultureInfo.InvariantCulture));

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Headers that prove the body: the plain form, and forms Stripe's rules also accept (rotated secrets, v0, order).</summary>
    private static Gen<(string Note, List<(string, string)> Headers)> Hmac(string header, string secret, byte[] body) =>
        Gen.Elements(0, 1, 2, 3, 4).Select(form =>
        {
            var t = Now;
            var v1 = TimestampedHmacSignature.Sign(secret, t, body);
            var value = form switch
            {
                1 => $"t={t},v1={v1},v1={v1}",
                2 => $"t={t},v1={new string('0', 64)},v1={v1}",
                3 => $"v0=abc,v1={v1},t={t}",
                4 => $" t = {t} , v1 = {v1} ",
                _ => $"t={t},v1={v1}",
            };
            return (form == 0 ? "signed" : $"signed (form {form})", new List<(string, string)> { (header, value) });
        });

    /// <summary>Headers that must not prove the body: missing, wrong secret, out of time, malformed, for another body.</summary>
    private static Gen<(string Note, List<(string, string)> Headers)> BadHmac(string header, string secret, byte[] body) =>
        Gen.Choose(0, 12).Select(form =>
        {
            var t = Now;
            string Sig(string s, long at, byte[] b) => TimestampedHmacSignature.Sign(s, at, b);
            string? value = form switch
            {
                0 => null,
                1 => "",
                2 => $"t={t},v1={Sig(secret + "x", t, body)}",
                3 => $"t={t + 3600},v1={Sig(secret, t + 3600, body)}",
                4 => $"t={t - 3600},v1={Sig(secret, t - 3600, body)}",
                5 => $"t=abc,v1={Sig(secret, t, body)}",
                6 => $"t=99999999999999999999,v1={Sig(secret, t, body)}",
                7 => $"t={t},v0={Sig(secret, t, body)}",
                8 => $"t={t},v1={Sig(secret, t, body).ToUpperInvariant()}",
                9 => $"t={t},v1={Sig(secret, t, body)[..32]}",
                10 => $"t={t},v1={Sig(secret, t, [.. body, (byte)' '])}",
                11 => $"t={t}," + string.Concat(Enumerable.Repeat("v1=" + new string('a', 64) + ",", 200)),
                _ => $"t=-{t},v1={Sig(secret, -t, body)}",
            };
            return ($"bad signature (form {form})", value is null ? new List<(string, string)>() : [(header, value)]);
        });

    /// <summary>PayPal's headers, wrong: absent, another webhook id, a foreign certificate, another algorithm, not base64, for another body.</summary>
    private Gen<(string, List<(string, string)>)> BadPayPalHeaders(byte[] body) =>
        Gen.Choose(0, 6).Select(form =>
        {
            var headers = paypal.Sign(form == 6 ? [.. body, (byte)' '] : body, form == 1 ? "WH0THERWEBHOOK0ID" : null).Headers
                .ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
            switch (form)
            {
                case 0: headers.Clear(); break;
                case 2: headers["PAYPAL-CERT-URL"] = "https://evil.example/cert.pem"; break;
                case 3: headers["PAYPAL-AUTH-ALGO"] = "SHA1withRSA"; break;
                case 4: headers["PAYPAL-TRANSMISSION-SIG"] = "!!not base64!!"; break;
                case 5: headers.Remove("PAYPAL-TRANSMISSION-ID"); break;
            }
            return ($"bad PayPal headers (form {form})", headers.Select(h => (h.Key, h.Value)).ToList());
        });

    /// <summary>The HMAC a provider's signature header carries, for tests that build one by hand.</summary>
    public static string HmacHex(string secret, string signed) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signed)));
}
