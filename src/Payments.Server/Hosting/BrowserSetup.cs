using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Payments.Core.Errors;
using Payments.Providers.Common;

namespace Payments.Server.Hosting;

/// <summary>
/// What the browser pages need besides routes: Data Protection keys on disk (they sign the admin
/// session cookie and the antiforgery tokens, so a restart must not forget them) and antiforgery
/// settings for every form (storefront, dummy checkout, admin sign-in, refund).
/// </summary>
public static class BrowserSetup
{
    public const string AntiforgeryCookie = "payments_csrf";

    public static IServiceCollection AddBrowserSupport(this IServiceCollection services)
    {
        // The same application name on every node, so nodes that share the key directory share keys
        // (the default is derived from the content root path, which may differ between machines).
        services.AddDataProtection().SetApplicationName("payments");
        // Read lazily: tests and operators set DATA_PROTECTION_KEYS_DIR when the host is built.
        services.AddOptions<KeyManagementOptions>().Configure<IConfiguration, IHostEnvironment, ILoggerFactory>(
            (options, configuration, environment, logs) =>
                options.XmlRepository = new FileSystemXmlRepository(KeysDirectory(configuration, environment), logs));

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookie;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "csrf_token";
        });
        return services;
    }

    /// <summary>
    /// Antiforgery for a form that binds no fields (sign-out): ASP.NET Core checks the token only
    /// where a handler binds form data, so such a route asks for the check itself. A missing or
    /// wrong token is a 400 problem, like on the form-bound routes.
    /// </summary>
    public static RouteHandlerBuilder RequireFormToken(this RouteHandlerBuilder route) =>
        route.AddEndpointFilter(async (context, next) =>
        {
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
            bool valid;
            try
            {
                valid = await antiforgery.IsRequestValidAsync(context.HttpContext);
            }
            catch (AntiforgeryValidationException e) when (e.InnerException is InvalidDataException)
            {
                // The form reader's limits (a key over 2 KB, too many fields): a bad request, not a 500 (found by the API fuzzer).
                throw PaymentsException.BadRequest($"The form could not be read: {e.InnerException.Message}");
            }
            if (!valid)
                throw PaymentsException.BadRequest("The form's antiforgery token is missing or invalid; reload the page and try again.");
            return await next(context);
        });

    /// <summary><c>DATA_PROTECTION_KEYS_DIR</c> (default <c>data/keys</c> under the content root), created owner-only.</summary>
    public static DirectoryInfo KeysDirectory(IConfiguration configuration, IHostEnvironment environment)
    {
        var dir = configuration.Value("DATA_PROTECTION_KEYS_DIR") ?? Path.Combine("data", "keys");
        if (!Path.IsPathRooted(dir)) dir = Path.Combine(environment.ContentRootPath, dir);
        // The key ring is stored unencrypted (there is no machine key store on Linux): only we may read it.
        return OwnerOnly.CreateDirectory(dir);
    }
}
