// An admin claims a custom domain and is told exactly which DNS records to create and
// how long the claim holds. Runs on riverside; the domain is removed at the end (an
// unverified domain changes no links). "Verify" is not pressed: the server would ask
// the system's DNS (verification is covered by tests/integration/domains.test.ts).
import { expect, signIn, test } from "./fixtures";
import { DEMO, schoolUrl, uniqueSlug } from "./support";

test("an admin claims a custom domain and sees the TXT record to create and the claim's hold", async ({ page }) => {
  const domain = `${uniqueSlug("lessons")}.riverside-strings.invalid`;
  await signIn(page, "riverside", DEMO.riverside.admin);
  await page.goto(schoolUrl("riverside", "/admin/settings/domain"));
  await page.getByRole("textbox", { name: "Domain" }).fill(domain);
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByRole("status")).toContainText(`Saved ${domain}. Now create the DNS records below`);
  await expect(page.getByTestId("txt-name")).toHaveText(`_encore-challenge.${domain}`);
  await expect(page.getByTestId("txt-value")).toHaveText(/^encore-verification=[0-9a-f]{32}$/);
  await expect(page.getByTestId("claim-status")).toContainText("Held for this school until");
  await expect(page.getByText("Waiting for verification")).toBeVisible();

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Remove domain" }).click();
  await expect(page.getByRole("status")).toContainText("The custom domain was removed");
  await expect(page.getByTestId("txt-name")).toHaveCount(0);
});
