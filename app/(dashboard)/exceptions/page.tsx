import { ExceptionsPage } from '@/components/exceptions/exceptions-page';

export const metadata = { title: 'Exceptions' };

export default function Page() {
  return <ExceptionsPage />;
}
