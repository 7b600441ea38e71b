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
    /// <summary>Ids other builds give the same element (<c>id: [url, url_edit]</c>), tried in order after <see cref="ResourceId"/>.</summary>
    public IReadOnlyList<string> OtherResourceIds { get; init; } = [];

    /// <summary>Where the id value is written (to suggest an edit of it); null without an id.</summary>
    public SourceLocation? IdLocation { get; init; }

    /// <summary><see cref="ResourceId"/> then <see cref="OtherResourceIds"/>.</summary>
    public IEnumerable<string> ResourceIds => ResourceId is null ? [] : [ResourceId, .. OtherResourceIds];

    public override string ToString()
    {
        var parts = new List<string>();
        if (ResourceId is not null) parts.Add($"id {string.Join(" | ", ResourceIds)}");
        if (Text is not null) parts.Add($"text {Text}");
        if (ContentDescription is not null) parts.Add($"desc {ContentDescription}");
        if (ClassName is not null) parts.Add($"class {ClassName}");
        if (Index != 0) parts.Add($"index {Index}");
        return $"{Name} ({string.Join(", ", parts)})";
    }
}
