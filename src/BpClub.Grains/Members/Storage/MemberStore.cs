using System.Text.Json;
using Npgsql;

namespace BpClub.Grains.Members.Storage;

public sealed record MemberSession(string Id, DateTimeOffset ExpiresAt);

/// <summary>A row of the members table: a card's cabinet account.</summary>
public sealed record MemberRecord(
    string CardNumber,
    string Phone,
    string PasswordHash,
    IReadOnlyList<MemberSession> Sessions,
    DateTimeOffset RegisteredAt,
    DateTimeOffset PasswordSetAt);

/// <summary>A card's means of proving possession at registration (see <see cref="MemberStore.LoadProof"/>).</summary>
public sealed record HolderProof(string? Phone, byte[]? CardCodeHash, int WrongCodes, DateTimeOffset? LockedUntil);

public enum MemberInsert { Inserted, CardTaken, PhoneTaken }

public enum PhoneMove { Moved, PhoneTaken, NotFound }

public enum MemberMove { Moved, NothingToMove, TargetTaken }

/// <summary>The members table (personal data: the phone) and the card holder's name for the cabinet.</summary>
public sealed class MemberStore(NpgsqlDataSource database)
{
    private const string UniqueViolation = "23505";

    public async Task<MemberRecord?> Load(string card)
    {
        await using var command = database.CreateCommand("""
            select phone, password_hash, sessions::text, registered_at, password_set_at
            from members where card_number = @card::char(16)
            """);
        command.Parameters.AddWithValue("card", card);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new MemberRecord(card, reader.GetString(0), reader.GetString(1),
            JsonSerializer.Deserialize<List<MemberSession>>(reader.GetString(2), LedgerJson.Options) ?? [],
            reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4));
    }

    public async Task<string?> FindCardByPhone(string phone)
    {
        await using var command = database.CreateCommand("select card_number from members where phone = @phone");
        command.Parameters.AddWithValue("phone", phone);
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task<MemberInsert> Insert(MemberRecord member)
    {
        await using var command = database.CreateCommand("""
            insert into members (card_number, phone, password_hash, sessions, registered_at, password_set_at)
            values (@card, @phone, @hash, @sessions::jsonb, @registered, @set)
            """);
        command.Parameters.AddWithValue("card", member.CardNumber);
        command.Parameters.AddWithValue("phone", member.Phone);
        command.Parameters.AddWithValue("hash", member.PasswordHash);
        command.Parameters.AddWithValue("sessions", Json(member.Sessions));
        command.Parameters.AddWithValue("registered", member.RegisteredAt);
        command.Parameters.AddWithValue("set", member.PasswordSetAt);
        try
        {
            await command.ExecuteNonQueryAsync();
            return MemberInsert.Inserted;
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return e.ConstraintName == "members_pkey" ? MemberInsert.CardTaken : MemberInsert.PhoneTaken;
        }
    }

    public async Task Update(MemberRecord member)
    {
        await using var command = database.CreateCommand("""
            update members set password_hash = @hash, sessions = @sessions::jsonb, password_set_at = @set
            where card_number = @card::char(16)
            """);
        command.Parameters.AddWithValue("card", member.CardNumber);
        command.Parameters.AddWithValue("hash", member.PasswordHash);
        command.Parameters.AddWithValue("sessions", Json(member.Sessions));
        command.Parameters.AddWithValue("set", member.PasswordSetAt);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Moves the account from <paramref name="from"/> to <paramref name="to"/> in one statement: the members row's
    /// unique phone is the phone index, so the move is atomic and a phone taken meanwhile (by a registration or another
    /// member's change) refuses it, leaving everything as it was. The questionnaire's phone follows, so the old number
    /// is no longer held.
    /// </summary>
    public async Task<PhoneMove> MovePhone(string card, string from, string to)
    {
        await using var command = database.CreateCommand("""
            with moved as (
                update members set phone = @to where card_number = @card::char(16) and phone = @from
                returning card_number),
            holder as (
                update card_holders set phone = @to
                where card_number in (select card_number from moved) and phone is not null)
            select count(*) from moved
            """);
        command.Parameters.AddWithValue("card", card);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        try
        {
            return (long)(await command.ExecuteScalarAsync())! == 1 ? PhoneMove.Moved : PhoneMove.NotFound;
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return PhoneMove.PhoneTaken;
        }
    }

    /// <summary>
    /// A card replacement's step: the cabinet account (phone, password, sessions) moves from one card to the other.
    /// Idempotent: nothing left on <paramref name="from"/> is nothing to move.
    /// </summary>
    public async Task<MemberMove> Move(string from, string to)
    {
        await using var command = database.CreateCommand(
            "update members set card_number = @to::char(16) where card_number = @from::char(16)");
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        try { return await command.ExecuteNonQueryAsync() > 0 ? MemberMove.Moved : MemberMove.NothingToMove; }
        catch (PostgresException e) when (e.SqlState == UniqueViolation) { return MemberMove.TargetTaken; }
    }

    public async Task Delete(string card)
    {
        await using var command = database.CreateCommand("delete from members where card_number = @card::char(16)");
        command.Parameters.AddWithValue("card", card);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The name and birth date from the questionnaire filled in at the till, if it is still on
    /// record.</summary>
    public async Task<(string FirstName, string LastName, DateOnly? BirthDate, DateTimeOffset ConsentAt)?> Holder(
        string card)
    {
        await using var command = database.CreateCommand("""
            select first_name, last_name, birth_date, consent_at from card_holders where card_number = @card::char(16)
            """);
        command.Parameters.AddWithValue("card", card);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateOnly>(2),
                reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }

    /// <summary>The member's own edit of the questionnaire (null fields stay); false when there is none (a
    /// terminated card's is gone, and an update cannot bring it back).</summary>
    public async Task<bool> UpdateHolder(string card, ProfileChange change)
    {
        await using var command = database.CreateCommand("""
            update card_holders set first_name = coalesce(@first, first_name), last_name = coalesce(@last, last_name),
                birth_date = coalesce(@birth, birth_date)
            where card_number = @card::char(16)
            """);
        command.Parameters.AddWithValue("card", card);
        command.Parameters.Add(new NpgsqlParameter("first", NpgsqlTypes.NpgsqlDbType.Text)
            { Value = (object?)change.FirstName ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("last", NpgsqlTypes.NpgsqlDbType.Text)
            { Value = (object?)change.LastName ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("birth", NpgsqlTypes.NpgsqlDbType.Date)
            { Value = (object?)change.BirthDate ?? DBNull.Value });
        return await command.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>
    /// What registration checks possession against: the phone recorded at the till, or else the hash of the card's
    /// code with the wrong codes counted so far and the lock they led to; null when the card has no questionnaire.
    /// </summary>
    public async Task<HolderProof?> LoadProof(string card)
    {
        await using var command = database.CreateCommand("""
            select phone, card_code_hash, wrong_card_codes, card_code_locked_until
            from card_holders where card_number = @card::char(16)
            """);
        command.Parameters.AddWithValue("card", card);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new HolderProof(reader.IsDBNull(0) ? null : reader.GetString(0),
            reader.IsDBNull(1) ? null : (byte[])reader[1],
            reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3));
    }

    /// <summary>Records the wrong card codes counted and the lock, if any, before the answer goes out.</summary>
    public async Task SaveCardCodeAttempts(string card, int wrongCodes, DateTimeOffset? lockedUntil)
    {
        await using var command = database.CreateCommand("""
            update card_holders set wrong_card_codes = @wrong, card_code_locked_until = @locked
            where card_number = @card::char(16)
            """);
        command.Parameters.AddWithValue("card", card);
        command.Parameters.AddWithValue("wrong", wrongCodes);
        command.Parameters.Add(
            new NpgsqlParameter("locked",
                NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)lockedUntil ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
    }

    private static string Json(IReadOnlyList<MemberSession> sessions)
        => JsonSerializer.Serialize(sessions, LedgerJson.Options);
}
