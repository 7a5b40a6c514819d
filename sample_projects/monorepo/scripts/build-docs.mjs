import { renderButton } from '@acme/ui';
import { slugify } from '@acme/core/util';

console.log(slugify('Build Docs'), renderButton('Save changes'));
