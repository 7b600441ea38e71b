using System.Text.Json.Nodes;

namespace Harness.VirtualDevice.Telemetry;

/// <summary>
/// One buffered Sensors Analytics event. <see cref="Properties"/> holds the complete "properties" object
/// (preset "$" properties, super properties, event properties, in that order).
/// </summary>
/// <param name="OriginalId">For track_signup: the anonymous id the user had before signing in.</param>
public sealed record SensorsEvent(
    int TrackId,
    long Time,
    string Type,
    string DistinctId,
    SensorsLib Lib,
    string? Event,
    JsonObject Properties,
    string? OriginalId = null)
{
    /// <summary>The event object as uploaded, stamped with the flush time (ms since the epoch).</summary>
    public JsonObject ToJson(long flushTime)
    {
        var json = new JsonObject
        {
            ["_track_id"] = TrackId,
            ["time"] = Time,
            ["type"] = Type,
            ["distinct_id"] = DistinctId,
        };
        if (OriginalId is not null)
        {
            json["original_id"] = OriginalId;
        }

        json["lib"] = new JsonObject
        {
            ["$lib"] = Lib.Lib,
            ["$lib_version"] = Lib.LibVersion,
            ["$app_version"] = Lib.AppVersion,
            ["$lib_method"] = Lib.LibMethod,
        };
        if (Event is not null)
        {
            json["event"] = Event;
        }

        json["properties"] = Properties.DeepClone();
        json["_flush_time"] = flushTime;
        return json;
    }
}
