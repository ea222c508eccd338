package io.moescope.app.session;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * Refreshes a view model only while its view is shown: requests that arrive while it is hidden just mark it stale,
 * and showing it again catches up once. Active by default (tests and always-visible views need nothing).
 */
public final class LiveRefresh {

    private final BooleanProperty active = new SimpleBooleanProperty(this, "active", true);
    private final Runnable refresh;
    private boolean stale;

    public LiveRefresh(Runnable refresh) {
        this.refresh = refresh;
        active.addListener((obs, was, now) -> {
            if (now && stale) {
                run();
            }
        });
    }

    /** Something changed: refresh now if shown, else later. */
    public void request() {
        if (active.get()) {
            run();
        } else {
            stale = true;
        }
    }

    /** Refreshes now whatever the visibility (e.g. before an export). */
    public void run() {
        stale = false;
        refresh.run();
    }

    /** Brings the view model up to date if a request was deferred. */
    public void ensureFresh() {
        if (stale) {
            run();
        }
    }

    public BooleanProperty activeProperty() {
        return active;
    }
}
