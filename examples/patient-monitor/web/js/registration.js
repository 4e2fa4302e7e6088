// Registering a patient. The CPF is checked as it is typed, in the browser through
// news2-wasm (`parseCpf`), with the precise error and the formatted mask; an invalid CPF is
// never sent. The server checks everything again on submit and its answer is shown as is.

import { byId, debounce } from './dom.js';
import { wasm } from './news2.js';
import { cpfErrorText } from './identifier.js';
import * as api from './api.js';

/** `{ok, formatted, digits}` or `{ok: false, error}`; `null` when the package is absent. */
export function checkCpf(text) {
  const pkg = wasm?.news2;
  if (!pkg?.parseCpf) return null;
  try {
    const cpf = pkg.parseCpf(text);
    const formatted = pkg.formatCpf ? pkg.formatCpf(text) : cpf?.formatted ?? String(cpf);
    const digits = cpf?.digits ?? String(formatted).replace(/\D/g, '');
    return { ok: true, formatted, digits };
  } catch (e) {
    return { ok: false, error: e };
  }
}

export function setupRegistration({ getUser, onRegistered }) {
  const form = byId('register-form');
  const cpf = byId('reg-cpf');
  const cpfError = byId('reg-cpf-error');
  const hint = byId('reg-cpf-hint');
  const formError = byId('register-error');
  const ok = byId('register-ok');

  function showCpf({ final = false } = {}) {
    const text = cpf.value;
    if (!text.trim() && !final) {
      cpf.removeAttribute('aria-invalid'); cpf.classList.remove('valid');
      cpfError.textContent = ''; hint.textContent = '11 digits; checked as you type.';
      return null;
    }
    const r = checkCpf(text);
    if (r === null) {
      hint.textContent = 'Checked by the server on submit (in-browser validation needs the news2-wasm package).';
      return null;
    }
    if (r.ok) {
      cpf.setAttribute('aria-invalid', 'false'); cpf.classList.add('valid');
      cpfError.textContent = '';
      hint.textContent = `✓ Valid CPF: ${r.formatted}`;
    } else {
      cpf.setAttribute('aria-invalid', 'true'); cpf.classList.remove('valid');
      cpfError.textContent = cpfErrorText(r.error);
      cpfError.dataset.kind = r.error?.kind ?? '';
      hint.textContent = '11 digits, with or without the mask ddd.ddd.ddd-dd.';
    }
    return r;
  }

  const live = debounce(() => showCpf(), 120);
  cpf.addEventListener('input', () => { ok.textContent = ''; live(); });
  // Leaving the field only puts a valid CPF in its mask. It changes no message, so nothing
  // on the form moves between pressing and releasing a click on the Register button.
  cpf.addEventListener('blur', () => {
    const r = checkCpf(cpf.value);
    if (r?.ok) cpf.value = r.formatted;
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    live.cancel();
    formError.textContent = ''; ok.textContent = '';
    const r = showCpf({ final: true });
    if (r && !r.ok) { cpf.focus(); return; } // never sent: the browser already knows it is wrong
    const body = {
      name: byId('reg-name').value.trim(),
      cpf: cpf.value.trim(),
      ward: byId('reg-ward').value,
    };
    const cns = byId('reg-cns').value.trim();
    if (cns) body.cns = cns;
    const birth = byId('reg-birth').value;
    if (birth) body.birth_date = birth;
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const p = await api.patients.register(body);
      ok.textContent = `Registered ${p.name} (${p.mrn}) in ${p.ward}.`;
      form.reset();
      cpf.classList.remove('valid'); cpf.removeAttribute('aria-invalid');
      hint.textContent = '11 digits; checked as you type.';
      setWards(getUser());
      onRegistered?.(p);
    } catch (e) {
      const field = e.field ? form.querySelector(`[name="${e.field}"]`) : null;
      if (e.field === 'cpf') { cpfError.textContent = e.message; cpf.setAttribute('aria-invalid', 'true'); cpf.focus(); }
      else { formError.textContent = e.message; field?.focus(); }
    } finally {
      button.disabled = false;
    }
  });
}

export function setWards(user) {
  const sel = byId('reg-ward');
  sel.replaceChildren(...(user?.wards ?? []).map((w) => new Option(w, w)));
}
