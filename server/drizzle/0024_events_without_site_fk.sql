ALTER TABLE "events" DROP CONSTRAINT "events_site_id_sites_id_fk";
