package io.greenbridge.contact;

import io.greenbridge.support.RemoteCallException;

/** Another worker (this node or another) holds the candidate: retry later; the inbox hands the event back. */
public class CandidateBusyException extends RemoteCallException {
    public CandidateBusyException(String key) {
        super("greenbridge", "sync of candidate " + key, 0, "another sync holds this candidate", true);
    }
}
