using GovernanceDashboard.Data;
using GovernanceDashboard.Tests.Remediation;
using GovernanceDashboard.Tests.Workflows;

namespace GovernanceDashboard.Tests.Postgres;

// The workflow integration classes again on PostgreSQL: every test of the base class, on a fresh database of PostgresServer.

/// <summary>Write-scope approvals (separation of duties, two approvers, concurrency, expiry, escalation) on PostgreSQL.</summary>
public sealed class PostgresWriteScopeServiceTests : WriteScopeServiceTests
{
    protected override StoreProvider Provider => StoreProvider.Postgres;
}

/// <summary>Attestation campaigns and answers on PostgreSQL.</summary>
public sealed class PostgresAttestationServiceTests : AttestationServiceTests
{
    protected override StoreProvider Provider => StoreProvider.Postgres;
}

/// <summary>Remediation triage on PostgreSQL.</summary>
public sealed class PostgresTriageServiceTests : TriageServiceTests
{
    protected override StoreProvider Provider => StoreProvider.Postgres;
}
