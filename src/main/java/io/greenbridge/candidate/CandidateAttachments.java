package io.greenbridge.candidate;

import java.net.URLConnection;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.store.LinkKinds;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.RemoteCallException;
import io.greenbridge.support.Hashes;

/**
 * Resumes and cover letters (greenbridge.candidates.attachment-types) → Beamery attachments. Files are
 * downloaded while the event is processed (Greenhouse URLs expire after 7 days) and uploaded once per contact
 * and content (link kind {@code attachment}: {@code <contactId>:<sha256>}); link kind {@code gh-attachment}
 * (Greenhouse attachment id → Beamery attachment id) spares a download of a file already copied.
 */
@Component
public class CandidateAttachments {
    private static final Logger LOG = LoggerFactory.getLogger(CandidateAttachments.class);

    private final HarvestClient harvest;
    private final BeameryClient beamery;
    private final LinkStore links;
    private final List<String> types;
    private final long maxBytes;

    public CandidateAttachments(HarvestClient harvest, BeameryClient beamery, LinkStore links, GreenbridgeProperties props) {
        this.harvest = harvest;
        this.beamery = beamery;
        this.links = links;
        this.types = props.candidates().attachmentTypes() == null ? List.of("resume", "cover_letter")
                : props.candidates().attachmentTypes();
        long configured = props.candidates().maxAttachmentBytes();
        this.maxBytes = configured > 0 ? configured : HarvestClient.DEFAULT_MAX_ATTACHMENT_BYTES;
    }

    /** Returns how many files were uploaded. */
    public int sync(CandidateData data, String contactId) {
        int uploaded = 0;
        for (JsonNode file : data.attachments()) {
            String type = file.path("type").asText();
            String url = file.path("url").asText("");
            if (!types.contains(type) || url.isEmpty()) {
                continue;
            }
            String sourceKey = contactId + ":" + file.path("id").asText(url);
            if (links.byGreenhouseId(LinkKinds.ATTACHMENT_SOURCE, sourceKey).isPresent()) {
                continue;
            }
            byte[] bytes;
            try {
                bytes = harvest.download(url, maxBytes); // greenbridge.candidates.max-attachment-bytes
            } catch (RemoteCallException e) {
                if (e.retryable()) {
                    throw e;
                }
                // an expired or removed file will not come back by retrying; the next copy of it will
                LOG.warn("Candidate {}: attachment {} could not be downloaded ({}), skipped", data.greenhouseId(),
                        file.path("id").asText(), e.status() == 0 ? "no usable reply: " + reason(e) : e.status());
                continue;
            }
            String key = contactId + ":" + Hashes.sha256Hex(bytes);
            String attachmentId = links.byGreenhouseId(LinkKinds.ATTACHMENT, key).map(LinkStore.Link::beameryId).orElse(null);
            if (attachmentId == null) {
                String filename = file.path("filename").asText("attachment");
                String contentType = file.hasNonNull("content_type") ? file.get("content_type").asText() : guess(filename);
                attachmentId = beamery.uploadAttachment(contactId, filename, type, contentType, bytes).path("id").asText();
                links.put(LinkKinds.ATTACHMENT, key, attachmentId, null);
                uploaded++;
            }
            links.put(LinkKinds.ATTACHMENT_SOURCE, sourceKey, attachmentId, null);
        }
        return uploaded;
    }

    /** The failure's reason only (never a URL: Greenhouse file links carry signatures). */
    private static String reason(RemoteCallException e) {
        String body = e.responseBody() == null ? "" : e.responseBody();
        return body.length() > 120 ? body.substring(0, 120) : body;
    }

    private static String guess(String filename) {
        String t = URLConnection.guessContentTypeFromName(filename);
        return t == null ? "application/octet-stream" : t;
    }
}
