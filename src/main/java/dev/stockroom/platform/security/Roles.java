package dev.stockroom.platform.security;

/** The roles a bearer token may carry in its {@code groups} claim. */
public final class Roles {

    /** Storefronts: availability reads, holds, commit, release. */
    public static final String STOREFRONT = "storefront";
    /** Warehouse systems: stock corrections and availability reads. */
    public static final String WAREHOUSE = "warehouse";
    /** Reporting tools and analysts: movement history and reports, nothing else. */
    public static final String REPORTING = "reporting";
    /** Back office: everything, including locations. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
