using Npgsql;

namespace Payments.Server.Data;

/// <summary>
/// Turns <c>DATABASE_URL</c> into an Npgsql connection string. Accepts the
/// <c>postgres://user:password@host:port/db?sslmode=require</c> form hosting platforms hand out,
/// and passes an Npgsql connection string ("Host=…;Database=…") through unchanged.
/// </summary>
public static class DatabaseUrl
{
    public static string ToNpgsql(string databaseUrl)
    {
        if (!databaseUrl.Contains("://", StringComparison.Ordinal))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(databaseUrl).ConnectionString; // validates keywords
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException(
                    $"DATABASE_URL is neither a postgres://user:password@host:5432/database URL nor an Npgsql connection string ({e.Message}).", e);
            }
        }

        if (!Uri.TryCreate(databaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
            throw new InvalidOperationException("DATABASE_URL must look like postgres://user:password@host:5432/database.");

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "true" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
        }
        if (string.IsNullOrEmpty(builder.Database))
            throw new InvalidOperationException("DATABASE_URL names no database (the path after the host).");
        return builder.ConnectionString;
    }
}
