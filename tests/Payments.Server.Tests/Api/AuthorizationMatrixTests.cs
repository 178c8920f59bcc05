using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Api;

/// <summary>
/// Every route × every kind of caller → the exact status. The table must name every route the
/// service maps (checked against its endpoint data source), so a new route cannot slip in unprotected.
/// </summary>
public class AuthorizationMatrixTests(SqliteAuthApp fixture) : IClassFixture<SqliteAuthApp>
{
    public enum Who { Anonymous, Owner, OtherUser, AdminUser, ServiceKey, AdminKey, ExpiredToken, ForeignSecret, RevokedKey, Vendor, OtherVendor, VendorKey }

    /// <summary>A request per caller; <see cref="Build"/> gets the caller's client so a form row can first fetch its page's antiforgery token.</summary>
    private sealed record Row(string Method, string Pattern, Func<World, HttpClient, Task<HttpRequestMessage>> Build, int[] Expected)
    {
        public Row(string method, string pattern, Func<World, HttpRequestMessage> build, int[] expected)
            : this(method, pattern, (w, _) => Task.FromResult(build(w)), expected) { }
    }

    /// <summary>Fixtures the requests refer to: a payment owned by "alice", keys, a revocable key.</summary>
    private sealed class World
    {
        public required string OwnedPaymentId { get; init; }
        public required string PaidPaymentId { get; init; }
        public required string DummyCheckoutId { get; init; }
        public required PaymentsApp App { get; init; }
        public Func<Task<string>> NewKeyId { get; init; } = null!;

        /// <summary>Someone else's referral code, for setting one's own referrer.</summary>
        public required string ReferralCode { get; init; }

        /// <summary>A user with credits to spend.</summary>
        public required string Spender { get; init; }
        public string? KeyToRevoke { get; set; }

        /// <summary>The vendor the Vendor and VendorKey callers act for (onboarded on the dummy), and one of its paid payments.</summary>
        public string VendorId { get; set; } = null!;
        public string VendorPaymentId { get; set; } = null!;
        public string VendorAccountId { get; set; } = null!;
        public string OtherVendorId { get; set; } = null!;

        /// <summary>A customer of the vendor with a saved card, and a way to save another (detaching one uses it up).</summary>
        public string VendorCustomerId { get; set; } = null!;
        public string VendorKeySecret { get; set; } = null!;
        public string SavedMethodId { get; set; } = null!;
        public Func<Task<string>> NewSavedMethodId { get; set; } = null!;
    }

    //                                       Anon Owner Other AdmUsr SvcKey AdmKey Expired Foreign Revoked
    private static int[] Public => [200, 200, 200, 200, 200, 200, 401, 401, 401];
    private static int[] SignedIn => [401, 200, 200, 200, 200, 200, 401, 401, 401];
    private static int[] OwnerOnly => [401, 200, 404, 200, 200, 200, 401, 401, 401];
    private static int[] GuestOrOwner => [404, 200, 404, 200, 200, 200, 401, 401, 401];
    private static int[] AdminOnly(int ok) => [401, 403, 403, ok, 403, ok, 401, 401, 401];
    // Credits: requests name user_id=alice (the owner); a person acts for themself, keys must name someone.
    private static int[] OwnerNamed => [401, 200, 403, 200, 200, 200, 401, 401, 401];
    private static int[] AnyPerson => [401, 200, 200, 200, 422, 422, 401, 401, 401, 200, 200, 422];
    //                                  Anon Owner Other AdmUsr SvcKey AdmKey Expired Foreign Revoked Vendor OtherVendor VendorKey
    private static int[] VendorOnly => [401, 403, 403, 403, 403, 403, 401, 401, 401, 200, 200, 200];
    private static int[] OwnVendorOnly => [401, 403, 403, 403, 403, 403, 401, 401, 401, 200, 404, 200];
    private static int[] AdminOnlyToo(int ok) => [401, 403, 403, ok, 403, ok, 401, 401, 401, 403, 403, 403];
    private static int[] ServiceOnly => [403, 403, 403, 403, 200, 403, 401, 401, 401, 403, 403, 403];

    /// <summary>
    /// Rows written before vendors existed list nine callers; a vendor's person is then a signed-in user who is not the
    /// owner, and a vendor key is answered as that user is (it owns nothing and names nobody).
    /// </summary>
    private static int[] Full(int[] expected) => expected.Length == 12 ? expected : [.. expected, expected[2], expected[2], expected[2]];
    private static int[] ServiceOrAdmin => [401, 403, 403, 200, 200, 200, 401, 401, 401];
    // Dashboard pages read only the admin session cookie (AdminSessionTests): a Bearer credential is
    // not a session, so the browser is sent to sign in; one that does not hold is still a 401.
    private static int[] AdminPage => [302, 302, 302, 302, 302, 302, 401, 401, 401];
    private static int[] PublicForm(int ok) => [ok, ok, ok, ok, ok, ok, 401, 401, 401];

    private static readonly Row[] Table =
    [
        new("GET", "/healthz", _ => Get("/healthz"), Public),
        new("GET", "/healthz/ready", _ => Get("/healthz/ready"), Public),
        new("GET", "/healthz/live", _ => Get("/healthz/live"), Public),
        new("GET", "/openapi/{documentName}.json", _ => Get("/openapi/v1.json"), Public),
        new("GET", "/docs/{documentName?}", _ => Get("/docs/"), Public),
        new("GET", "/docs/scalar.js", _ => Get("/docs/scalar.js"), Public),
        new("GET", "/docs/scalar.aspnetcore.js", _ => Get("/docs/scalar.aspnetcore.js"), Public),
        new("GET", "/docs/favicon.svg", _ => Get("/docs/favicon.svg"), Public),
        new("GET", "/metrics", _ => Get("/metrics"), AdminOnly(200)),
        new("GET", "/api/v1/payment/plans", _ => Get("/api/v1/payment/plans"), Public),
        new("POST", "/api/v1/payment/create-intent", _ => Post("/api/v1/payment/create-intent", new { plan = "basic" }), Public),
        new("POST", "/api/v1/payment/verify", w => Post("/api/v1/payment/verify", new { payment_id = w.OwnedPaymentId }), GuestOrOwner),
        // Capture needs an approved order at a capturing provider; the dummy does not capture, so valid callers
        // get a 404 problem — which still proves credentials are checked before anything else.
        new("POST", "/api/v1/payment/capture/{provider}/{id}", w => Post($"/api/v1/payment/capture/dummy/{w.OwnedPaymentId}", new { }),
            [404, 404, 404, 404, 404, 404, 401, 401, 401]),
        new("POST", "/api/v1/payment/refund", w => Post("/api/v1/payment/refund", new { payment_id = w.PaidPaymentId, amount = 1 }), AdminOnly(200)),
        new("GET", "/api/v1/payments", _ => Get("/api/v1/payments"), SignedIn),
        new("GET", "/api/v1/payments/{id}", w => Get($"/api/v1/payments/{w.OwnedPaymentId}"), OwnerOnly),
        new("GET", "/api/v1/payment/receipt/{id}", w => Get($"/api/v1/payment/receipt/{w.PaidPaymentId}"), OwnerOnly),
        new("GET", "/api/v1/payment/receipt/{id}/html", w => Get($"/api/v1/payment/receipt/{w.PaidPaymentId}/html"), OwnerOnly),
        new("GET", "/api/v1/payment/receipt/{id}/pdf", w => Get($"/api/v1/payment/receipt/{w.PaidPaymentId}/pdf"), OwnerOnly),
        new("GET", "/api/v1/audit", _ => Get("/api/v1/audit"), AdminOnly(200)),
        new("GET", "/api/v1/credits/packages", _ => Get("/api/v1/credits/packages"), Public),
        new("GET", "/api/v1/credits/balance", _ => Get("/api/v1/credits/balance?user_id=alice"), OwnerNamed),
        new("GET", "/api/v1/credits/history", _ => Get("/api/v1/credits/history?user_id=alice"), OwnerNamed),
        new("GET", "/api/v1/credits/referral", _ => Get("/api/v1/credits/referral"), AnyPerson),
        new("PUT", "/api/v1/credits/referral", w => Put("/api/v1/credits/referral", new { referred_by_code = w.ReferralCode }), AnyPerson),
        new("POST", "/api/v1/credits/spend", w => Post("/api/v1/credits/spend", new { user_id = w.Spender, amount = 1, reference = Guid.NewGuid().ToString() }),
            ServiceOrAdmin),
        new("GET", "/api/v1/billing/prices", _ => Get("/api/v1/billing/prices"), Public),
        // Billing information names user_id=alice like credits (PUT first, so the GET finds it).
        new("PUT", "/api/v1/billing/info", _ => Put("/api/v1/billing/info", new
        {
            user_id = "alice", name = "Alice", email = "alice@example.com", address = new { line1 = "Vestergade 1", city = "Ærøskøbing", country = "DK" },
        }), OwnerNamed),
        new("GET", "/api/v1/billing/info", _ => Get("/api/v1/billing/info?user_id=alice"), OwnerNamed),
        new("GET", "/api/v1/admin/api-keys", _ => Get("/api/v1/admin/api-keys"), AdminOnly(200)),
        new("POST", "/api/v1/webhook-endpoints", _ => Post("/api/v1/webhook-endpoints", new { url = "https://host.example/hooks", events = new[] { "*" } }), AdminOnly(201)),
        new("GET", "/api/v1/webhook-endpoints", _ => Get("/api/v1/webhook-endpoints"), AdminOnly(200)),
        // An endpoint nobody made: who may ask is decided before whether it exists.
        new("GET", "/api/v1/webhook-endpoints/{id}", _ => Get("/api/v1/webhook-endpoints/we_missing"), AdminOnly(404)),
        new("DELETE", "/api/v1/webhook-endpoints/{id}", _ => new HttpRequestMessage(HttpMethod.Delete, "/api/v1/webhook-endpoints/we_missing"), AdminOnly(404)),
        new("POST", "/api/v1/webhook-endpoints/{id}/rotate-secret", _ => Post("/api/v1/webhook-endpoints/we_missing/rotate-secret", new { }), AdminOnly(404)),
        new("GET", "/api/v1/webhook-endpoints/{id}/deliveries", _ => Get("/api/v1/webhook-endpoints/we_missing/deliveries"), AdminOnly(404)),
        new("POST", "/api/v1/admin/api-keys", _ => Post("/api/v1/admin/api-keys", new { name = "matrix" }), AdminOnly(201)),
        new("DELETE", "/api/v1/admin/api-keys/{id}", w => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/admin/api-keys/{w.KeyToRevoke}"), AdminOnly(204)),
        // Webhooks carry the provider's signature, not ours: credentials in the header are ignored.
        new("POST", "/api/v1/payment/webhook/{provider}", _ => SignedOrphanEvent(), [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        new("GET", "/payments/thanks", w => Get($"/payments/thanks?payment_id={w.OwnedPaymentId}"), Public),
        new("GET", "/payments/cancel", w => Get($"/payments/cancel?payment_id={w.OwnedPaymentId}"), Public),
        new("GET", "/payments/simulate/{paymentId}", w => Get($"/payments/simulate/{w.DummyCheckoutId}"), Public),
        new("POST", "/payments/simulate/{paymentId}",
            Form(w => $"/payments/simulate/{w.DummyCheckoutId}", w => $"/payments/simulate/{w.DummyCheckoutId}", ("outcome", "succeeded")), PublicForm(303)),
        new("GET", "/payments/status/{id}", w => Get($"/payments/status/{w.OwnedPaymentId}"), Public),
        new("GET", "/", _ => Get("/"), Public),
        // Apple Pay is off here, so the path says nothing; on, it serves a public file to anyone (WalletPagesTests).
        new("GET", "/.well-known/apple-developer-merchantid-domain-association", _ => Get("/.well-known/apple-developer-merchantid-domain-association"),
            [404, 404, 404, 404, 404, 404, 401, 401, 401]),
        new("POST", "/payments/checkout", Form(_ => "/", _ => "/payments/checkout", ("plan", "basic")), PublicForm(303)),
        new("GET", "/admin/sign-in", _ => Get("/admin/sign-in"), Public),
        new("POST", "/admin/sign-in", Form(_ => "/admin/sign-in", _ => "/admin/sign-in", ("credential", Credentials.AdminKey)), PublicForm(303)),
        new("POST", "/admin/sign-out", _ => new HttpRequestMessage(HttpMethod.Post, "/admin/sign-out"), AdminPage),
        new("GET", "/admin", _ => Get("/admin"), AdminPage),
        new("GET", "/admin/payments/{id}", w => Get($"/admin/payments/{w.PaidPaymentId}"), AdminPage),
        new("POST", "/admin/payments/{id}/refund", w => new HttpRequestMessage(HttpMethod.Post, $"/admin/payments/{w.PaidPaymentId}/refund")
            { Content = new FormUrlEncodedContent([new("amount", "0.01")]) }, AdminPage),
        new("GET", "/admin/revenue", _ => Get("/admin/revenue"), AdminPage),
        new("GET", "/admin/webhooks", _ => Get("/admin/webhooks"), AdminPage),
        new("GET", "/admin/outgoing", _ => Get("/admin/outgoing"), AdminPage),
        new("GET", "/admin/audit", _ => Get("/admin/audit"), AdminPage),
        new("GET", "/admin/vendors", _ => Get("/admin/vendors"), AdminPage),
        // The vendor page reads only its own session cookie: a Bearer credential, a vendor's too, is sent to sign in.
        new("GET", "/vendor/sign-in", _ => Get("/vendor/sign-in"), Public),
        new("POST", "/vendor/sign-in", (w, c) => Form(_ => "/vendor/sign-in", _ => "/vendor/sign-in", ("credential", w.VendorKeySecret))(w, c), PublicForm(303)),
        new("GET", "/vendor", _ => Get("/vendor"), AdminPage),
        new("POST", "/vendor/sign-out", _ => new HttpRequestMessage(HttpMethod.Post, "/vendor/sign-out"), AdminPage),
        new("POST", "/vendor/onboarding", _ => new HttpRequestMessage(HttpMethod.Post, "/vendor/onboarding"), AdminPage),
        new("POST", "/vendor/payouts", _ => new HttpRequestMessage(HttpMethod.Post, "/vendor/payouts")
            { Content = new FormUrlEncodedContent([new("payout_schedule", "daily")]) }, AdminPage),
        new("GET", "/admin/subscriptions", _ => Get("/admin/subscriptions"), AdminPage),
        // Subscriptions: nobody here has billing information or a subscription, so every signed-in caller gets the same refusal.
        new("POST", "/api/v1/subscriptions", _ => Post("/api/v1/subscriptions", new { price = "no_such_price", provider = "dummy" }), SignedInAnswer(422)),
        new("GET", "/api/v1/subscriptions", _ => Get("/api/v1/subscriptions"), SignedIn),
        new("GET", "/api/v1/subscriptions/{id}", _ => Get("/api/v1/subscriptions/sub_missing"), SignedInAnswer(404)),
        new("GET", "/api/v1/subscriptions/{id}/invoices", _ => Get("/api/v1/subscriptions/sub_missing/invoices"), SignedInAnswer(404)),
        new("POST", "/api/v1/subscriptions/{id}/cancel", _ => Post("/api/v1/subscriptions/sub_missing/cancel", new { at_period_end = true }), SignedInAnswer(404)),
        new("POST", "/api/v1/subscriptions/{id}/resume", _ => Post("/api/v1/subscriptions/sub_missing/resume", new { }), SignedInAnswer(404)),
        new("POST", "/api/v1/billing/portal", _ => Post("/api/v1/billing/portal", new { }), SignedInAnswer(422)),
        new("GET", "/payments/subscribed", _ => Get("/payments/subscribed?subscription_id=sub_missing"), PublicForm(404)),
        new("GET", "/payments/simulate/subscriptions/{id}", _ => Get("/payments/simulate/subscriptions/dmsub_missing"), PublicForm(404)),
        new("POST", "/payments/simulate/subscriptions/{id}", _ => new HttpRequestMessage(HttpMethod.Post, "/payments/simulate/subscriptions/dmsub_missing")
            { Content = new FormUrlEncodedContent([new("outcome", "succeeded")]) }, PublicForm(404)),
        new("POST", "/payments/simulate/subscriptions/{id}/renew", _ => new HttpRequestMessage(HttpMethod.Post, "/payments/simulate/subscriptions/dmsub_missing/renew")
            { Content = new FormUrlEncodedContent([new("outcome", "succeeded")]) }, PublicForm(404)),
        new("GET", "/payments/simulate/portal/{customerId}", _ => Get("/payments/simulate/portal/dmcus_missing"), Public),
        // The mails' portal link: the token is the capability; a token that is not one of ours opens nothing.
        new("GET", "/payments/billing-portal", _ => Get("/payments/billing-portal?token=not-a-token"), PublicForm(410)),
        // Marketplace: admins manage vendors; a vendor reaches only its own (another vendor's payment is not found).
        new("POST", "/api/v1/vendors", _ => Post("/api/v1/vendors", new { name = "Matrix", email = "m@example.com", country = "DE", currency = "EUR" }), AdminOnlyToo(201)),
        new("GET", "/api/v1/vendors", _ => Get("/api/v1/vendors"), AdminOnlyToo(200)),
        new("GET", "/api/v1/vendors/{vendorId}", w => Get($"/api/v1/vendors/{w.VendorId}"), AdminOnlyToo(200)),
        new("PUT", "/api/v1/vendors/{vendorId}/platform-fee", w => Put($"/api/v1/vendors/{w.VendorId}/platform-fee", new { platform_fee_bps = 250 }), AdminOnlyToo(200)),
        new("GET", "/api/v1/vendors/{vendorId}/balance", w => Get($"/api/v1/vendors/{w.VendorId}/balance"), AdminOnlyToo(200)),
        new("GET", "/api/v1/platform/fees", _ => Get("/api/v1/platform/fees"), AdminOnlyToo(200)),
        new("GET", "/api/v1/vendor/payments/config", _ => Get("/api/v1/vendor/payments/config"), VendorOnly),
        new("PUT", "/api/v1/vendor/payments/config", _ => Put("/api/v1/vendor/payments/config", new { payout_schedule = "weekly", weekly_anchor = "friday" }), VendorOnly),
        new("POST", "/api/v1/vendor/payments/setup", _ => Post("/api/v1/vendor/payments/setup", new { }), VendorOnly),
        new("POST", "/api/v1/vendor/payments/onboarding-link", _ => Post("/api/v1/vendor/payments/onboarding-link", new { }), VendorOnly),
        new("GET", "/api/v1/vendor/balance", _ => Get("/api/v1/vendor/balance"), VendorOnly),
        new("GET", "/api/v1/vendor/payments", _ => Get("/api/v1/vendor/payments"), VendorOnly),
        new("GET", "/api/v1/vendor/payments/{paymentId}", w => Get($"/api/v1/vendor/payments/{w.VendorPaymentId}"), OwnVendorOnly),
        new("GET", "/api/v1/vendor/payouts", _ => Get("/api/v1/vendor/payouts"), VendorOnly),
        new("GET", "/api/v1/vendor/customers/{customerId}/payment-methods",
            w => Get($"/api/v1/vendor/customers/{w.VendorCustomerId}/payment-methods"), OwnVendorOnly),
        new("POST", "/api/v1/vendor/customers/{customerId}/payment-methods/{paymentMethodId}/default",
            w => Post($"/api/v1/vendor/customers/{w.VendorCustomerId}/payment-methods/{w.SavedMethodId}/default", new { }), OwnVendorOnly),
        new("DELETE", "/api/v1/vendor/customers/{customerId}/payment-methods/{paymentMethodId}", async (w, _) =>
                new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/vendor/customers/{w.VendorCustomerId}/payment-methods/{await w.NewSavedMethodId()}"),
            [401, 403, 403, 403, 403, 403, 401, 401, 401, 204, 404, 204]),
        new("POST", "/api/v1/platform/vendors/{vendorId}/payments/create-intent",
            w => Post($"/api/v1/platform/vendors/{w.VendorId}/payments/create-intent", new { order_id = "matrix-order", amount = 10000, currency = "EUR" }), ServiceOnly),
        // The dummy has no Connect endpoint of its own (its account.updated comes to its one webhook route).
        new("POST", "/api/v1/payment/webhook/{provider}/connect", _ => new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment/webhook/dummy/connect")
            { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") }, [404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        new("GET", "/payments/simulate/onboarding/{accountId}", w => Get($"/payments/simulate/onboarding/{w.VendorAccountId}"), Public),
        new("POST", "/payments/simulate/onboarding/{accountId}", w => new HttpRequestMessage(HttpMethod.Post, $"/payments/simulate/onboarding/{w.VendorAccountId}")
            { Content = new FormUrlEncodedContent([new("outcome", "completed")]) }, PublicForm(303)),
    ];

    /// <summary>Signed-in callers all get <paramref name="status"/> (the request names nothing they own).</summary>
    private static int[] SignedInAnswer(int status) => [401, status, status, status, status, status, 401, 401, 401];

    [Fact]
    public void The_table_covers_every_route_the_service_maps()
    {
        var mapped = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} /{e.RoutePattern.RawText!.Trim('/')}"))
            .ToHashSet();
        var covered = Table.Select(r => $"{r.Method} {r.Pattern}").ToHashSet();
        Assert.Empty(mapped.Except(covered));
    }

    [Fact]
    public async Task Every_route_answers_each_caller_exactly_as_the_table_says()
    {
        var app = fixture.App;
        var world = await BuildWorld(app);
        var (_, serviceKey) = await Credentials.CreateKey(app, "service");
        var (revokedId, revokedKey) = await Credentials.CreateKey(app, "service", "to be revoked");
        using (var admin = app.Client().As(Credentials.AdminKey))
            (await admin.DeleteAsync($"/api/v1/admin/api-keys/{revokedId}")).EnsureSuccessStatusCode();

        var bearer = new Dictionary<Who, string?>
        {
            [Who.Anonymous] = null,
            [Who.Owner] = Credentials.Jwt("alice"),
            [Who.OtherUser] = Credentials.Jwt("bob"),
            [Who.AdminUser] = Credentials.Jwt("root", "admin"),
            [Who.ServiceKey] = serviceKey,
            [Who.AdminKey] = Credentials.AdminKey,
            [Who.ExpiredToken] = Credentials.Jwt("alice", expiresIn: TimeSpan.FromMinutes(-5)),
            [Who.ForeignSecret] = Credentials.Jwt("alice", "admin", secret: "another-secret-0123456789abcdef0123456789"),
            [Who.RevokedKey] = revokedKey,
            [Who.Vendor] = Vendors.Marketplace.VendorJwt("vera", world.VendorId),
            [Who.OtherVendor] = Vendors.Marketplace.VendorJwt("otto", world.OtherVendorId),
            [Who.VendorKey] = (await Vendors.Marketplace.VendorKey(app, world.VendorId)).Secret,
        };

        var mismatches = new List<string>();
        foreach (var row in Table)
        foreach (var who in Enum.GetValues<Who>())
        {
            world.KeyToRevoke = await world.NewKeyId();
            using var client = app.Client().As(bearer[who]);
            using var response = await client.SendAsync(await row.Build(world, client));
            var expected = Full(row.Expected)[(int)who];
            if ((int)response.StatusCode != expected)
                mismatches.Add($"{row.Method} {row.Pattern} as {who}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            else if (expected >= 400)
                // The API refuses with problem documents; a page people reach from a mail may answer them with a page.
                Assert.Equal(row.Pattern.StartsWith("/api/", StringComparison.Ordinal) || response.Content.Headers.ContentType?.MediaType != "text/html"
                    ? "application/problem+json" : "text/html", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Empty(mismatches);
    }

    [Fact]
    public async Task A_users_list_holds_only_their_own_payments()
    {
        using var alice = fixture.App.Client().As(Credentials.Jwt("carol"));
        using var dave = fixture.App.Client().As(Credentials.Jwt("dave"));
        var mine = (await (await alice.PostJson("/api/v1/payment/create-intent", new { plan = "pro" })).Body()).Str("payment_id");
        await dave.PostJson("/api/v1/payment/create-intent", new { plan = "pro" });

        var list = await (await alice.GetAsync("/api/v1/payments")).Body();
        Assert.Equal([mine], list.GetProperty("items").EnumerateArray().Select(p => p.Str("payment_id")));
        Assert.Equal("carol", list.GetProperty("items")[0].Str("owner_id"));
    }

    [Fact]
    public async Task Only_service_keys_and_admins_may_buy_on_behalf_of_someone_else()
    {
        var (_, serviceKey) = await Credentials.CreateKey(fixture.App);
        using var service = fixture.App.Client().As(serviceKey);
        using var user = fixture.App.Client().As(Credentials.Jwt("erin"));

        var onBehalf = await service.PostJson("/api/v1/payment/create-intent", new { plan = "basic", user_id = "frank" });
        var impersonation = await user.PostJson("/api/v1/payment/create-intent", new { plan = "basic", user_id = "frank" });

        Assert.Equal(200, (int)onBehalf.StatusCode);
        var paymentId = (await onBehalf.Body()).Str("payment_id");
        using var frank = fixture.App.Client().As(Credentials.Jwt("frank"));
        Assert.Equal(200, (int)(await frank.GetAsync($"/api/v1/payments/{paymentId}")).StatusCode);
        Assert.Equal(403, (int)impersonation.StatusCode);
        Assert.Equal("forbidden", (await impersonation.Body()).Str("code"));
    }

    private static async Task<World> BuildWorld(PaymentsApp app)
    {
        using var alice = app.Client().As(Credentials.Jwt("alice"));
        var owned = await (await alice.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body();
        var paid = await (await alice.PostJson("/api/v1/payment/create-intent", new { plan = "expert" })).Body();
        (await alice.PayDummy(paid.Str("provider_payment_id"))).Dispose();
        var guest = await (await app.Client().PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body();
        using var admin = app.Client().As(Credentials.AdminKey);
        var credits = await (await admin.PostJson("/api/v1/payment/create-intent", new { credit_package = "starter", user_id = "spender" })).Body();
        (await admin.PayDummy(credits.Str("provider_payment_id"))).Dispose();
        using var rita = app.Client().As(Credentials.Jwt("rita"));
        var referral = await (await rita.GetAsync("/api/v1/credits/referral")).Body();
        var vendorId = await Vendors.Marketplace.CreateVendor(app);
        var accountId = await Vendors.Marketplace.OnboardOnDummy(app, vendorId);
        var (_, shopKey) = await Vendors.Marketplace.ServiceKey(app);
        using var shop = app.Client().As(shopKey);
        var sale = await (await shop.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent",
            new { order_id = "matrix-paid", amount = 10000, currency = "EUR" })).Body();
        (await shop.PayDummy(sale.Str("provider_payment_id"))).Dispose();
        async Task<string> SaveCard()
        {
            using var saver = app.Client().As(shopKey);
            var saving = await (await saver.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent",
                new { order_id = "matrix-save-" + Guid.NewGuid().ToString("N")[..8], amount = 100, currency = "EUR", customer_id = "matrix-customer",
                    setup_future_usage = "off_session" })).Body();
            (await saver.PayDummy(saving.Str("provider_payment_id"))).Dispose();
            using var vendor = app.Client().As(Vendors.Marketplace.VendorJwt("vera", vendorId));
            var methods = await (await vendor.GetAsync("/api/v1/vendor/customers/matrix-customer/payment-methods")).Body();
            return methods.GetProperty("items").EnumerateArray().Last().Str("payment_method_id");
        }
        var savedMethod = await SaveCard();
        return new World
        {
            VendorCustomerId = "matrix-customer", VendorKeySecret = (await Vendors.Marketplace.VendorKey(app, vendorId)).Secret, SavedMethodId = savedMethod, NewSavedMethodId = SaveCard,
            VendorId = vendorId, VendorAccountId = accountId, VendorPaymentId = sale.Str("payment_id"),
            OtherVendorId = await Vendors.Marketplace.CreateVendor(app, "Other"),
            App = app,
            OwnedPaymentId = owned.Str("payment_id"),
            PaidPaymentId = paid.Str("payment_id"),
            DummyCheckoutId = guest.Str("provider_payment_id"),
            ReferralCode = referral.Str("referral_code"),
            Spender = "spender",
            NewKeyId = async () => (await Credentials.CreateKey(app, "service", "throwaway")).Id,
        };
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    /// <summary>A browser form: the caller's client GETs the page (for its antiforgery token and cookie), then POSTs.</summary>
    private static Func<World, HttpClient, Task<HttpRequestMessage>> Form(
        Func<World, string> page, Func<World, string> action, params (string Name, string Value)[] fields) => async (w, client) =>
    {
        using var shown = await client.GetAsync(page(w));
        var token = Forms.Token(await shown.Content.ReadAsStringAsync());
        return new HttpRequestMessage(HttpMethod.Post, action(w)) { Content = Forms.FormWith(token, fields) };
    };

    private static HttpRequestMessage Post(string path, object body) =>
        new(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json.Options) };

    private static HttpRequestMessage Put(string path, object body) =>
        new(HttpMethod.Put, path) { Content = JsonContent.Create(body, options: Json.Options) };

    private static HttpRequestMessage SignedOrphanEvent()
    {
        var body = DummyEvents.Body("evt_matrix_" + Guid.NewGuid(), "payment.succeeded", "dm_nobody", 1900, "EUR");
        return DummyEvents.Delivery(body, DummyEvents.Sign(body));
    }
}
