namespace GovernanceDashboard.Metrics;

/// <summary>docs/metrics.md over the in-memory facts: one pass over exposures, grants, tokens and the current campaign's
/// tasks, tallied per team (the owner's team as the directory says now), so the organisation's figures and every
/// team's come from the same pass and the same formulas.</summary>
internal static class MetricsPass
{
    /// <param name="owner">only the tokens this person owns (their own scorecard); null for the whole organisation</param>
    public static TeamMetrics Run(FactTables facts, DateTimeOffset asOf, DateTimeOffset? ttrFrom, GovernanceSettings settings, bool teams, int? owner = null)
    {
        var at = FactTables.Millis(asOf);
        var from = ttrFrom is { } f ? FactTables.Millis(f) : long.MinValue;
        // One tally per team number, one for tokens with no owner or an owner without a team, and one for tokens outside
        // an owner's own scope, which the figures then leave out.
        var tallies = new Tally[facts.Teams.Count + 2];
        for (var i = 0; i < tallies.Length; i++) tallies[i] = new Tally();
        var noTeam = facts.Teams.Count;
        var outside = noTeam + 1;
        // A token the facts do not know yet (not possible within one read) counts as no team, or outside an owner's scope.
        var unknown = owner is null ? noTeam : outside;
        // Each token's tally, looked up once: exposures, tokens and tasks all tally by their token's team.
        var slotOfToken = new int[facts.Tokens.MaxId + 1];
        for (var id = 1; id < slotOfToken.Length; id++)
            slotOfToken[id] = owner is { } o && facts.Tokens.Owner[id] != o ? outside : facts.TeamOf(id) is var team and >= 0 ? team : noTeam;
        Tally TallyOf(int token) => tallies[token < slotOfToken.Length ? slotOfToken[token] : unknown];

        // Hours to remediate, with the tally slot each belongs to, in one array for the whole organisation.
        var remediations = new Remediations(facts.Exposures.MaxId);
        var marks = Exposures(facts, at, from, settings, slotOfToken, unknown, tallies, remediations);
        MarkOccurrences(facts, marks);
        var justified = facts.JustifiedAt(at);
        // The leaked part's own owner and write figures (docs/metrics.md "Leaked tokens and the whole population"); its exposures are everyone's.
        var leaked = new Tally();
        Tokens(facts, at, marks, justified, TallyOf, leaked, tallies[outside]);
        var campaign = Attestation(facts, at, TallyOf);

        var organisation = new Tally();
        for (var slot = 0; slot < outside; slot++) organisation.Add(tallies[slot]);
        var byTeam = new Dictionary<string, MetricsSnapshot>(StringComparer.Ordinal);
        if (teams)
            for (var team = 0; team < facts.Teams.Count; team++)
                if (tallies[team].Total > 0 || tallies[team].Exposures > 0)
                    byTeam[facts.Teams[team]] = tallies[team].Snapshot(asOf, campaign, remediations.Of(team));
        // Last: the organisation's percentiles reorder the shared array.
        var hours = owner is null ? remediations.All() : remediations.AllBut(outside);
        return new TeamMetrics(organisation.Snapshot(asOf, campaign, hours) with { Leaked = leaked.Population() }, byTeam,
            new Tally().Snapshot(asOf, campaign, []));
    }

    // What the pass knows of each token, in one byte a token (one array a pass, whatever the population's size).
    private const byte Open = 1, Leaked = 2;

    /// <summary>Tallies exposures detected by <paramref name="at"/>; returns each token's marks: <see cref="Open"/> when
    /// one is open then, <see cref="Leaked"/> when it has one at all.</summary>
    private static byte[] Exposures(FactTables facts, long at, long from, GovernanceSettings settings, int[] slotOfToken, int unknown, Tally[] tallies, Remediations remediations)
    {
        var e = facts.Exposures;
        var marks = new byte[facts.Tokens.MaxId + 1];
        var slaHours = Enum.GetValues<Severity>().Select(settings.SlaHoursFor).ToArray();
        var slaMillis = slaHours.Select(SlaBreachRule.TargetMillis).ToArray();
        for (var id = 1; id <= e.MaxId; id++)
        {
            if (!e.Present[id] || e.Detected[id] > at) continue;
            var token = e.Token[id];
            var severity = e.Severity[id];
            var slot = token < slotOfToken.Length ? slotOfToken[token] : unknown;
            var tally = tallies[slot];
            tally.Exposures++;
            if (token < marks.Length) marks[token] |= Leaked;
            if (e.OpenAt(id, at))
            {
                if (token < marks.Length) marks[token] |= Open;
                tally.Open++;
                tally.OpenBySeverity[severity]++;
                if (SlaBreachRule.Breached(at - e.Detected[id], slaMillis[severity])) tally.Breached++;
                tally.OldestOpen = Math.Min(tally.OldestOpen, e.Detected[id]);
            }
            if (e.Remediated[id] <= at) tally.Remediated++;
            if (e.Dismissed[id] <= at) tally.Dismissed++;
            // Time to remediate: remediated in the window [from, asOf]; dismissals are excluded, as GitHub and GitLab exclude them.
            if (e.State[id] == (byte)ExposureState.Remediated && e.Remediated[id] <= at && e.Remediated[id] >= from)
            {
                var hours = FactTables.Hours(e.Remediated[id] - e.Detected[id]);
                remediations.Add(hours, slot);
                if (hours <= slaHours[severity]) tally.WithinSla++;
            }
        }
        return marks;
    }

    /// <summary>Marks every token with an occurrence as leaked: a token first found already revoked has occurrences and no
    /// exposure. Occurrences carry no time here; a token only counts from its first detection anyway.</summary>
    private static void MarkOccurrences(FactTables facts, byte[] marks)
    {
        var o = facts.Occurrences;
        for (var id = 1; id <= o.MaxId; id++)
            if (o.Present[id] && o.Token[id] < marks.Length) marks[o.Token[id]] |= Leaked;
    }

    /// <summary>Tallies every token first detected by <paramref name="at"/>, classified as of then; a leaked one (marked by
    /// <see cref="Exposures"/> or <see cref="MarkOccurrences"/>) within scope also counts in <paramref name="leaked"/>.</summary>
    private static void Tokens(FactTables facts, long at, byte[] marks, bool[] justified, Func<int, Tally> tallyOf, Tally leaked, Tally outside)
    {
        var t = facts.Tokens;
        var people = facts.People;
        for (var id = 1; id <= t.MaxId; id++)
        {
            if (!t.Present[id] || t.FirstSeen[id] > at) continue;
            var tally = tallyOf(id);
            var status = t.StatusAt(id, at, (marks[id] & Open) != 0);
            var owner = t.Owner[id];
            var hasOwner = owner > 0 && owner <= people.MaxId && people.Present[owner];
            var ownerActive = hasOwner && people.Active[owner];
            var write = (WriteCapability)t.Write[id];
            tally.Token(t.Platform[id], status, hasOwner, ownerActive, write, justified[id]);
            if ((marks[id] & Leaked) != 0 && !ReferenceEquals(tally, outside)) leaked.Token(t.Platform[id], status, hasOwner, ownerActive, write, justified[id]);
        }
    }

    /// <summary>Tallies the current campaign's tasks (the latest opened at or before <paramref name="at"/>); returns its id.</summary>
    private static int? Attestation(FactTables facts, long at, Func<int, Tally> tallyOf)
    {
        var c = facts.Campaigns;
        var campaign = 0;
        for (var id = 1; id <= c.MaxId; id++)
            if (c.Present[id] && c.Opened[id] <= at && (campaign == 0 || c.Opened[id] >= c.Opened[campaign])) campaign = id;
        if (campaign == 0) return null;
        var deadline = c.Deadline[campaign];
        var tasks = facts.Tasks;
        for (var id = 1; id <= tasks.MaxId; id++)
        {
            if (!tasks.Present[id] || tasks.Campaign[id] != campaign) continue;
            var tally = tallyOf(tasks.Token[id]);
            tally.Due++;
            // Answered (keep / reduce scope / revoke) before the deadline.
            if (tasks.Answered[id] && tasks.AnsweredAt[id] <= deadline && tasks.AnsweredAt[id] <= at) tally.Attested++;
        }
        return campaign;
    }

    /// <summary>Every remediation's hours and tally slot, in one array.</summary>
    private sealed class Remediations(int capacity)
    {
        private readonly double[] _hours = new double[capacity];
        private readonly int[] _slots = new int[capacity];
        private int _count;

        public void Add(double hours, int slot)
        {
            _hours[_count] = hours;
            _slots[_count++] = slot;
        }

        public double[] Of(int slot)
        {
            var hours = new List<double>();
            for (var i = 0; i < _count; i++)
                if (_slots[i] == slot) hours.Add(_hours[i]);
            return [.. hours];
        }

        public double[] All() => _count == _hours.Length ? _hours : _hours[.._count];

        public double[] AllBut(int slot)
        {
            var hours = new List<double>(_count);
            for (var i = 0; i < _count; i++)
                if (_slots[i] != slot) hours.Add(_hours[i]);
            return [.. hours];
        }
    }

    /// <summary>The counts of one team (or of the organisation, when tallies are added up).</summary>
    private sealed class Tally
    {
        public int Total, Active, Owned, Orphaned, WriteCapable, Unknown, Justified;
        public readonly int[] ByPlatform = new int[Enum.GetValues<TokenPlatform>().Length];
        public readonly int[] ByStatus = new int[Enum.GetValues<TokenStatus>().Length];
        public int Exposures, Open, Remediated, Dismissed, Breached, WithinSla, Due, Attested;
        public long OldestOpen = FactTables.Never;
        public readonly int[] OpenBySeverity = new int[Enum.GetValues<Severity>().Length];

        /// <summary>Counts one token as of the pass's instant.</summary>
        public void Token(byte platform, TokenStatus status, bool hasOwner, bool ownerActive, WriteCapability write, bool justified)
        {
            Total++;
            ByPlatform[platform]++;
            ByStatus[(int)status]++;
            if (!TokenStatusRule.IsActive(status)) return;
            Active++;
            if (OrphanedRule.IsOwned(hasOwner, ownerActive, status)) Owned++;
            else if (OrphanedRule.IsOrphaned(hasOwner, ownerActive, status)) Orphaned++;
            switch (write)
            {
                case WriteCapability.Write:
                    WriteCapable++;
                    if (justified) Justified++;
                    break;
                case WriteCapability.Unknown:
                    Unknown++;
                    break;
            }
        }

        public void Add(Tally o)
        {
            Total += o.Total; Active += o.Active; Owned += o.Owned; Orphaned += o.Orphaned;
            WriteCapable += o.WriteCapable; Unknown += o.Unknown; Justified += o.Justified;
            for (var i = 0; i < ByPlatform.Length; i++) ByPlatform[i] += o.ByPlatform[i];
            for (var i = 0; i < ByStatus.Length; i++) ByStatus[i] += o.ByStatus[i];
            for (var i = 0; i < OpenBySeverity.Length; i++) OpenBySeverity[i] += o.OpenBySeverity[i];
            Exposures += o.Exposures; Open += o.Open; Remediated += o.Remediated; Dismissed += o.Dismissed; Breached += o.Breached;
            WithinSla += o.WithinSla; Due += o.Due; Attested += o.Attested;
            OldestOpen = Math.Min(OldestOpen, o.OldestOpen);
        }

        public MetricsSnapshot Snapshot(DateTimeOffset asOf, int? campaign, double[] hours) => new(
            asOf,
            new TokenFigures(Total, Active, Named<TokenPlatform>(ByPlatform), Named<TokenStatus>(ByStatus)),
            OwnerCoverage(),
            WriteScope(),
            new ExposureFigures(Exposures, Open, Remediated, Dismissed,
                OldestOpen == FactTables.Never ? null : FactTables.Hours(FactTables.Millis(asOf) - OldestOpen), Breached, Named<Severity>(OpenBySeverity)),
            TimeToRemediate(hours),
            campaign is null ? new AttestationFigures(0, 0, null, null) : new AttestationFigures(Due, Attested, Statistics.Ratio(Attested, Due), campaign));

        /// <summary>The owner and write figures of the tokens tallied (the leaked part's).</summary>
        public PopulationFigures Population() => new(Total, Active, OwnerCoverage(), WriteScope());

        private OwnerCoverage OwnerCoverage() => new(Owned, Active, Orphaned, Statistics.Ratio(Owned, Active));

        private WriteScopeFigures WriteScope() =>
            new(WriteCapable, Unknown, Active, Justified, Statistics.Ratio(WriteCapable, Active), Statistics.Ratio(Justified, WriteCapable));

        private TimeToRemediate TimeToRemediate(double[] hours)
        {
            if (hours.Length == 0) return new TimeToRemediate(0, null, null, null, null);
            return new TimeToRemediate(hours.Length, hours.Average(), Statistics.Percentile(hours, 0.5),
                Statistics.Percentile(hours, 0.9), Statistics.Ratio(WithinSla, hours.Length));
        }

        private static Dictionary<string, int> Named<TEnum>(int[] counts) where TEnum : struct, Enum =>
            Enum.GetValues<TEnum>().ToDictionary(v => v.ToString(), v => counts[Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)]);
    }
}
