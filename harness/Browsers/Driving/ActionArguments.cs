namespace Harness.Browsers;

/// <summary>
/// Values for a recipe's placeholders: {url}, {host} (taken from the url), {term}, {account}, {password}, and for
/// system-app recipes {file} (a file name to pick in the file picker) and {certificate} (a certificate's name as
/// Settings lists it).
/// </summary>
public sealed record ActionArguments(string? Url = null, string? Term = null, string? Account = null, string? Password = null,
    string? File = null, string? Certificate = null)
{
    public static readonly ActionArguments None = new();

    public string? Host => Url is not null && Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri.Host : null;

    internal string? Value(string placeholder) => placeholder switch
    {
        "url" => Url,
        "host" => Host,
        "term" => Term,
        "account" => Account,
        "password" => Password,
        "file" => File,
        "certificate" => Certificate,
        _ => null,
    };
}
