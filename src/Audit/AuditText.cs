namespace GovernanceDashboard.Audit;

/// <summary>An audit event with the sentence a person reads for it ("sec.lead approved write scope for hf_…x9Qz until
/// 2027-03-01"); the raw event stays beside it.</summary>
public sealed record AuditEntry(AuditEvent Event, string Sentence);

/// <summary>Turns audit events into sentences: pure, from the event, the actor's name and the subject's label (a token's
/// mask). Unknown kinds still read as words ("import completed"), never fail.</summary>
public static class AuditText
{
    /// <param name="actor">who acted, as people know them</param>
    /// <param name="subject">what the event is about, as people know it (a token's mask, a person's name)</param>
    public static string Sentence(AuditEvent e, string actor, string? subject)
    {
        var after = Fields(e.After);
        var before = Fields(e.Before);
        string? F(string name) => after.GetValueOrDefault(name);
        var s = subject ?? e.Subject ?? "";
        var until = Day(F("grantExpiresAt") ?? F("until") ?? F("expiresAt"));
        var phrase = e.Kind switch
        {
            "writescope.requested" => $"asked for write scope for {s}{Days(F("days"))}",
            "writescope.approved" => $"approved write scope for {s}{(until is null ? "" : " until " + until)}",
            "writescope.rejected" => $"rejected write scope for {s}{Quote(F("comment"))}",
            "writescope.approval-recorded" => $"approved write scope for {s} ({F("approvals")} of {F("RequiredApprovals") ?? F("requiredApprovals")} approvals)",
            "writescope.cancelled" => $"withdrew the write-scope request for {s}",
            "writescope.escalated" => $"escalated the write-scope request for {s} to the requester's manager",
            "writescope.grant.expiring" or "grant.expiring" => $"warned that the write grant of {s} expires{(until is null ? " soon" : " on " + until)}",
            "writescope.grant.expired" or "grant.expired" => $"ended the expired write grant of {s}",
            "token.owner.assigned" or "owner.assigned" => $"made {F("owner") ?? "someone"} the owner of {s}",
            "token.owner.accepted" => $"accepted ownership of {s}",
            "token.owner.declined" => $"declined ownership of {s}",
            "token.transfer.offered" => $"offered {s} to {F("to") ?? "someone"}",
            "token.transfer.accepted" => $"accepted {s} handed over by {F("from") ?? "its owner"}",
            "token.transfer.declined" => $"declined the hand-over of {s}",
            "token.transfer.cancelled" => $"cancelled the hand-over of {s}",
            "token.transfer.voided" => $"voided the hand-over of {s}",
            "token.revoked" => $"recorded the revocation of {s}",
            "token.rotated" => $"recorded the rotation of {s}",
            "token.validated" => $"checked {s} with its platform{(F("valid") is { } v ? (v == "true" ? ": it still works" : ": it no longer works") : "")}",
            "exposure.opened" => $"opened an exposure of {s}{Paren(F("severity"))}",
            "exposure.dismissed" => $"dismissed the exposure of {s}{Paren(Reason(F("reason")))}{(until is null ? "" : " until " + until)}",
            "exposure.reopened" => $"reopened the exposure of {s}",
            "exposure.note" => $"added a note on {s}{Quote(F("text") ?? F("note"))}",
            "exposure.sla.breached" => $"flagged the exposure of {s} as past its SLA",
            "exposure.risk.expired" => $"reopened the exposure of {s}: its accepted risk expired",
            "revocation.requested" => $"asked the platform to revoke {s}",
            "revocation.queued" => $"queued the revocation of {s}",
            "revocation.sent" => $"sent the revocation of {s} to its platform",
            "attestation.campaign.opened" => $"opened the attestation campaign {F("name") ?? s}",
            "attestation.campaign.closed" => $"closed the attestation campaign {F("name") ?? s}",
            "attestation.answered" => $"attested {s}{Paren(Answer(F("answer")))}",
            "attestation.reminded" or "attestation.reminder" => $"reminded the owner of {s} to attest it",
            "attestation.escalated" => $"escalated the attestation of {s} to the owner's manager",
            "attestation.opened" => $"asked the owner of {s} to attest it",
            "person.created" => $"added {s} to the directory",
            "person.left" => $"recorded that {s} left",
            "person.roles" => $"changed the roles of {s} from {Roles(before.GetValueOrDefault(""))} to {Roles(after.GetValueOrDefault(""))}",
            "setting.changed" => $"changed the setting {s} from {before.GetValueOrDefault("") ?? "—"} to {after.GetValueOrDefault("") ?? "—"}",
            "apikey.created" => $"created an API key{Paren(F("name"))}",
            "apikey.revoked" => $"revoked an API key{Paren(F("name"))}",
            "apikey.used" => "used an API key",
            "signin.local" => "signed in (local sign-in)",
            "signin.entra" => "signed in with Entra ID",
            "signin.entra.refused" => "was refused sign-in with Entra ID",
            "import.completed" => $"imported {F("fileName") ?? F("file") ?? "a file"}",
            "demo.seeded" => "loaded the demo organisation",
            _ => $"{e.Kind.Replace('.', ' ').Replace('-', ' ')} {s}".TrimEnd(),
        };
        return $"{actor} {phrase}";
    }

    /// <summary>The subject's id when it is a token ("token:12" → 12).</summary>
    public static int? TokenId(string? subject) =>
        subject is not null && subject.StartsWith("token:", StringComparison.Ordinal)
        && int.TryParse(subject.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The top-level fields of a JSON object as text; a bare value under the empty name. Never throws.</summary>
    private static Dictionary<string, string?> Fields(string? json)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return fields;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in doc.RootElement.EnumerateObject())
                    fields[p.Name] = p.Value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => p.Value.GetString(),
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        _ => p.Value.GetRawText(),
                    };
            }
            else
            {
                fields[""] = doc.RootElement.ValueKind == JsonValueKind.String ? doc.RootElement.GetString() : doc.RootElement.GetRawText();
            }
        }
        catch (JsonException)
        {
            fields[""] = json;
        }
        return fields;
    }

    private static string? Day(string? instant) =>
        DateTimeOffset.TryParse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    private static string Days(string? days) => days is null ? "" : $" for {days} days";
    private static string Paren(string? text) => string.IsNullOrWhiteSpace(text) ? "" : $" ({text})";
    private static string Quote(string? text) => string.IsNullOrWhiteSpace(text) ? "" : $": “{(text.Length > 120 ? text[..120] + "…" : text)}”";
    private static string? Reason(string? reason) => reason is null ? null : GovernanceDashboard.Workflows.Remediation.DismissalReasons.Describe(reason);
    private static string? Answer(string? answer) => answer switch
    {
        "ReduceScope" => "reduce scope",
        "Keep" => "keep",
        "Revoke" => "revoke",
        _ => answer?.ToLowerInvariant(),
    };
    private static string Roles(string? roles) => string.IsNullOrWhiteSpace(roles) || roles == "None" ? "owner only" : roles;
}
