namespace Harness.Browsers;

/// <summary>
/// How a recipe finds one element on screen. Resource-id first; when no element has the id (or none is given) the
/// text or content-desc in the phone's language; <see cref="ClassName"/> narrows both, <see cref="Index"/> picks
/// among several matches in screen (document) order.
/// </summary>
/// <param name="Name">The selector's name in the profile (or "inline").</param>
/// <param name="ResourceId">Full resource-id (<c>pkg:id/name</c>); the loader adds the package to short ids.</param>
public sealed record ElementSelector(
    string Name,
    string? ResourceId,
    LocalizedText? Text,
    LocalizedText? ContentDescription,
    string? ClassName,
    int Index,
    SourceLocation Location)
{
    public override string ToString()
    {
        var parts = new List<string>();
        if (ResourceId is not null) parts.Add($"id {ResourceId}");
        if (Text is not null) parts.Add($"text {Text}");
        if (ContentDescription is not null) parts.Add($"desc {ContentDescription}");
        if (ClassName is not null) parts.Add($"class {ClassName}");
        if (Index != 0) parts.Add($"index {Index}");
        return $"{Name} ({string.Join(", ", parts)})";
    }
}
