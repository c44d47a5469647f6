package io.greenbridge.contract;

import java.util.List;

/**
 * One read endpoint Greenbridge depends on and the fields its mappings and Java read from a record of it.
 * {@code source} names the public document (or "assumed") the expectation comes from. Harvest answers empty
 * properties as null (never omitted), so every field read is expected; Beamery leaves empty fields out, so only
 * the fields every record has are expected there (a contact without a last name is still a contact).
 */
public record ReadContract(String system, String path, String arrayKey, List<String> fields, String source) {

    /** The reads of every flow, with the fields each one needs (mappings/*.jsonata and the Java around them). */
    public static final List<ReadContract> ALL = List.of(
            harvest("candidates", "id", "first_name", "last_name", "company", "title", "private", "tags",
                    "email_addresses", "phone_numbers", "addresses", "website_addresses", "social_media_addresses",
                    "custom_fields", "updated_at"),
            harvest("applications", "id", "candidate_id", "job_id", "stage_id", "job_interview_stage_id", "stage_name",
                    "status", "prospect", "source_id", "recruiter_id", "created_at"),
            harvest("jobs", "id", "name", "requisition_id", "notes", "confidential", "status", "department_id",
                    "office_ids", "custom_fields", "updated_at"),
            harvest("job_interview_stages", "id", "job_id", "name", "sort_order", "active"),
            harvest("application_stages", "id", "application_id", "job_interview_stage_id", "current"),
            harvest("job_hiring_managers", "job_id", "user_id"),
            harvest("job_owners", "job_id", "user_id", "type"),
            harvest("users", "id", "first_name", "last_name", "primary_email"),
            harvest("sources", "id", "name"),
            harvest("departments", "id", "name"),
            harvest("offices", "id", "name", "location"),
            harvest("rejection_reasons", "id", "name"),
            harvest("rejection_details", "application_id", "rejection_reason_id"),
            harvest("notes", "id", "candidate_id", "application_id", "user_id", "body", "visibility", "created_at"),
            harvest("attachments", "candidate_id", "application_id", "type", "filename", "url"),
            harvest("candidate_tags", "id", "name"),
            harvest("applied_candidate_tags", "candidate_id", "candidate_tag_id"),
            beamery("/contacts", "contacts", "beamery.md §4, §7 (DOC + CODE)", "id", "updatedAt"),
            beamery("/vacancies", "vacancies", "beamery.md §8 (DOC + CODE)", "id", "title", "updatedAt"),
            beamery("/users", "users", "beamery.md §9 (path DOC, shape assumed)", "id", "email"),
            beamery("/notes", "notes", "beamery.md §9 (CODE)", "id", "contactId", "content", "createdAt"),
            beamery("/sources", "sources", "assumed (beamery.md §14)", "id", "name"),
            beamery("/departments", "departments", "assumed (beamery.md §14)", "id", "name"),
            beamery("/global-tags", "globalTags", "assumed (beamery.md §14)", "id", "value"));

    private static ReadContract harvest(String resource, String... fields) {
        return new ReadContract("greenhouse", "/v3/" + resource, null, List.of(fields),
                "Harvest v3 " + resource + " schema (MeltanoLabs tap-greenhouse; greenhouse-harvest.md §3.1)");
    }

    private static ReadContract beamery(String path, String arrayKey, String source, String... fields) {
        return new ReadContract("beamery", path, arrayKey, List.of(fields), source);
    }
}
