namespace Harness.Browsers;

/// <summary>
/// Start an activity by intent instead of typing (`am start -W -a ACTION [-d DATA] [--es KEY VALUE]… [PACKAGE]`), e.g.
/// VIEW with "{url}" or WEB_SEARCH with query "{term}"; placeholders are filled, every word is shell-quoted. The
/// activity the phone resolved is read back; when it is not <see cref="Package"/>'s the step fails.
/// </summary>
/// <param name="Package">The package that must handle it; the profile's own when the YAML says "self" or nothing.</param>
public sealed record IntentStep(string Action, string? Data, string Package, IReadOnlyDictionary<string, string> Extras, SourceLocation Location) : RecipeStep(Location)
{
    public override string Describe() =>
        $"intent {Action}" + (Data is null ? "" : $" data {Data}") + string.Concat(Extras.Select(e => $" {e.Key}={e.Value}")) + $" to {Package}";
}
