using Habitat.Server.Storage;

namespace Habitat.Server.Domain;

/// <summary>Roles a stored study file can play. Sequences are named as the models' features are (T1c.…, FLAIR.…).</summary>
public static class FileRoles
{
    public static readonly IReadOnlyList<string> Sequences = ["T1c", "FLAIR", "T2", "T1"];
    public const string LabelMap = "label_map", BrainMask = "brain_mask";
    public static bool IsSequence(string role) => Sequences.Contains(role);
    public static bool IsKnown(string role) => IsSequence(role) || role is LabelMap or BrainMask;
}

public sealed record StudyFile(string Role, string Blob, string OriginalName, string Description, string? SuggestedRole, int[] Size);
public sealed record Study(string Id, string Patient, string? StudyDate, string Description, string UploadedBy, string CreatedAt, IReadOnlyList<StudyFile> Files);

/// <summary>Patients (pseudonym only: no name, birth date or hospital number is ever asked for) and their studies.</summary>
public sealed class Studies(Database db)
{
    public async Task<Study> AddAsync(string pseudonym, string? studyDate, string description, User uploader, IReadOnlyList<StudyFile> files)
    {
        var id = Guid.NewGuid().ToString("N");
        var at = Clock.Now();
        await db.InTransactionAsync(async (c, t) =>
        {
            var patientId = (await Database.QueryAsync(c, t, "SELECT id FROM patients WHERE pseudonym = @pseudonym", new { pseudonym }, r => r.GetString(0))).FirstOrDefault();
            if (patientId is null)
            {
                patientId = Guid.NewGuid().ToString("N");
                await using var p = Database.Command(c, "INSERT INTO patients (id, pseudonym, created_at) VALUES (@patientId, @pseudonym, @at)", new { patientId, pseudonym, at }, t);
                await p.ExecuteNonQueryAsync();
            }
            await using (var s = Database.Command(c, "INSERT INTO studies (id, patient_id, study_date, description, uploaded_by, created_at) VALUES (@id, @patientId, @studyDate, @description, @by, @at)",
                             new { id, patientId, studyDate, description, by = uploader.Id, at }, t))
                await s.ExecuteNonQueryAsync();
            foreach (var f in files)
            {
                await using var insert = Database.Command(c,
                    "INSERT INTO study_files (id, study_id, role, blob, original_name, description, suggested_role, size_x, size_y, size_z) " +
                    "VALUES (@fid, @id, @Role, @Blob, @OriginalName, @Description, @SuggestedRole, @x, @y, @z)",
                    new { fid = Guid.NewGuid().ToString("N"), id, f.Role, f.Blob, f.OriginalName, f.Description, f.SuggestedRole, x = f.Size[0], y = f.Size[1], z = f.Size[2] }, t);
                await insert.ExecuteNonQueryAsync();
            }
            return 0;
        });
        return (await GetAsync(id))!;
    }

    public async Task<Study?> GetAsync(string id)
    {
        var study = await db.SingleAsync(
            "SELECT s.id, p.pseudonym, s.study_date, s.description, u.name, s.created_at FROM studies s JOIN patients p ON p.id = s.patient_id JOIN users u ON u.id = s.uploaded_by WHERE s.id = @id",
            new { id }, r => new Study(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), []));
        if (study is null) return null;
        var files = await db.QueryAsync("SELECT role, blob, original_name, description, suggested_role, size_x, size_y, size_z FROM study_files WHERE study_id = @id ORDER BY role",
            new { id }, r => new StudyFile(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                [Convert.ToInt32(r.GetValue(5)), Convert.ToInt32(r.GetValue(6)), Convert.ToInt32(r.GetValue(7))]));
        return study with { Files = files };
    }

    public Task<List<Study>> ListAsync(int limit, int offset) =>
        db.QueryAsync("SELECT s.id, p.pseudonym, s.study_date, s.description, u.name, s.created_at FROM studies s JOIN patients p ON p.id = s.patient_id " +
                      "JOIN users u ON u.id = s.uploaded_by ORDER BY s.created_at DESC, s.id LIMIT @limit OFFSET @offset",
            new { limit, offset }, r => new Study(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), []));
}
