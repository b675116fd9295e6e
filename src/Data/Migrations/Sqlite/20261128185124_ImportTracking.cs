using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovernanceDashboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImportTracking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "SameFileAsEarlier",
                table: "Imports",
                newName: "TokensAssignedByRule");

            migrationBuilder.AddColumn<int>(
                name: "CreatedImportId",
                table: "Tokens",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OwnerSource",
                table: "Tokens",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Column",
                table: "Occurrences",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PeopleAdded",
                table: "Imports",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PeopleUpdated",
                table: "Imports",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "RulesSaved",
                table: "Imports",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SameFileAsImportId",
                table: "Imports",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CreatedImportId",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "OwnerSource",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "Column",
                table: "Occurrences");

            migrationBuilder.DropColumn(
                name: "PeopleAdded",
                table: "Imports");

            migrationBuilder.DropColumn(
                name: "PeopleUpdated",
                table: "Imports");

            migrationBuilder.DropColumn(
                name: "RulesSaved",
                table: "Imports");

            migrationBuilder.DropColumn(
                name: "SameFileAsImportId",
                table: "Imports");

            migrationBuilder.RenameColumn(
                name: "TokensAssignedByRule",
                table: "Imports",
                newName: "SameFileAsEarlier");
        }
    }
}
